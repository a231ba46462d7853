public import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import LinuxPlatform
import MediationDomain
public import Store

/// The embedded store: one SQLite database in WAL mode, shared by the daemon
/// and `mdrsctl` with a busy timeout, so one waits for the other instead of
/// failing at once. The folder is 0700 and the files 0600.
public final class SQLiteStore: MDRSStore, Sendable {
    let pool: DatabasePool
    /// Whether commits wait for the disk at all (a simulation's copy does not).
    private let durable: Bool
    /// Claims and outcomes, committed together when they queue up.
    private let commits: GroupCommit
    /// Where the database lives.
    public let path: String
    /// Bookings decoded, for the emails about them.
    let bookings = BookingCache()
    /// The mediators' days read by the last ingest, for the next.
    let diaries = DiaryKeeper()

    public var location: String { "sqlite \(path)" }

    public var isShared: Bool { false }

    /// Opens (creating if needed) the database at `path` and applies the migrations.
    /// - Parameters:
    ///   - busyTimeout: how long a statement waits for another process's
    ///     write before failing with ``StoreError/Kind/busy``.
    ///   - durable: whether a commit waits for the disk; only a throwaway
    ///     copy (a simulation's) may skip it.
    public init(path: String, busyTimeout: TimeInterval = 10, durable: Bool = true) throws(StoreError) {
        self.path = path
        self.durable = durable
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            // 64 MiB of pages: a file of 100,000 bookings stored in 24 s with
            // it, as with twice as much (and 60 MB less resident).
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA cache_size = -65536")
                // Statement journals and sorts in memory: inside a file's long
                // transaction each statement kept one in a file under
                // /var/tmp, written a page at a time (most of ingest's writes).
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // Erased personal data is overwritten, not left in free pages.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            commits = GroupCommit(pool: pool, durable: durable)
            try Migrations.migrator.migrate(pool)
            try Self.protect(path, folder: folder)
        } catch {
            throw Self.mapped(error, "cannot open database \(path)")
        }
    }

    /// Root (an administrator's mdrsctl) hands the files to the state
    /// folder's owner, so the daemon's own user can still open them.
    private static func protect(_ path: String, folder: String) throws {
        let owner = geteuid() == 0 ? try FileManager.default.attributesOfItem(atPath: folder) : [:]
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            var attributes: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
            attributes[.ownerAccountID] = owner[.ownerAccountID]
            attributes[.groupOwnerAccountID] = owner[.groupOwnerAccountID]
            try FileManager.default.setAttributes(attributes, ofItemAtPath: path + suffix)
        }
    }

    /// A consistent copy of the whole database at `path` (SQLite's online
    /// backup), opened as a store of its own: a sandbox that never touches
    /// this one. Its commits do not wait for the disk: a simulation is
    /// thrown away, and a year of it commits a hundred thousand times.
    public func copy(to path: String) throws(StoreError) -> SQLiteStore {
        do {
            let target = try DatabaseQueue(path: path)
            try pool.backup(to: target)
        } catch {
            throw Self.mapped(error, "cannot copy the database to \(path)")
        }
        return try SQLiteStore(path: path, durable: false)
    }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.mapped(error, "database write failed (\(what))")
        }
    }

    /// Runs `body` in a write transaction whose commit does not wait for
    /// the disk, shared with the other such writes waiting then (see
    /// ``GroupCommit``). In WAL mode a later commit that does wait, or a
    /// checkpoint, syncs it too, and a power cut can lose it only with
    /// every commit after it: for a claim or an outcome that means the
    /// email goes again with the same Message-ID (at least once, as after a
    /// crash), never that a booking or an email is lost. A booking file's
    /// commit always waits.
    func relaxedWrite<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await commits.write(what, body)
    }

    /// Runs `body` on a reading connection, in one snapshot, on the calling
    /// thread. In WAL mode a reader never waits for a writer, and mdrsd's
    /// reads are a few index lookups: hopping to GRDB's queue and back cost
    /// two context switches, more than the read, and was most of the cost
    /// of sending an email. Writes, which can wait for another process's
    /// lock, stay asynchronous.
    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try readHere(body)
        } catch {
            throw Self.mapped(error, "database read failed (\(what))")
        }
    }

    private func readHere<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// Our own errors pass through; SQLite's keep their cause and say
    /// whether waiting helps: busy and locked, full, and I/O are transient.
    static func mapped(_ error: any Error, _ context: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let database = error as? DatabaseError else {
            if error is CancellationError { return StoreError(.cancelled, "\(context): stopped", cause: error) }
            return StoreError(.database, "\(context): \(error)", cause: error)
        }
        let kind: StoreError.Kind = switch database.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: .busy
        case .SQLITE_FULL: .full
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PROTOCOL, .SQLITE_NOMEM, .SQLITE_READONLY: .unavailable
        case .SQLITE_INTERRUPT, .SQLITE_ABORT: .cancelled
        default: .database
        }
        return StoreError(kind, "\(context): \(database.message ?? "\(database.resultCode)")", cause: database)
    }
}
