import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import MediationDomain

/// The durable truth: bookings with their versions, the jobs planned from
/// them and the log of every delivery. Everything the daemon holds in memory
/// can be rebuilt from here.
///
/// The daemon and `mdrsctl` share the file: a WAL pool with a busy timeout,
/// so one waits for the other instead of failing.
public final class Store: Sendable {
    private let pool: DatabasePool
    /// Where the database lives.
    public let path: String

    /// Opens (creating if needed) the database at `path`: the folder 0700,
    /// the files 0600, migrations applied.
    public init(path: String) throws(StoreError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            // Root (an administrator's mdrsctl) hands the files to the state
            // folder's owner, so the daemon's own user can still open them.
            let owner = geteuid() == 0 ? try FileManager.default.attributesOfItem(atPath: folder) : [:]
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                var attributes: [FileAttributeKey: Any] = [.posixPermissions: 0o600]
                attributes[.ownerAccountID] = owner[.ownerAccountID]
                attributes[.groupOwnerAccountID] = owner[.groupOwnerAccountID]
                try FileManager.default.setAttributes(attributes, ofItemAtPath: path + suffix)
            }
        } catch {
            throw StoreError(.database, "cannot open database \(path): \(error)")
        }
    }

    /// A consistent copy of the whole database at `path` (SQLite's online
    /// backup), opened as a store of its own: a sandbox that never touches
    /// this one.
    public func copy(to path: String) throws(StoreError) -> Store {
        do {
            let target = try DatabaseQueue(path: path)
            try pool.backup(to: target)
        } catch {
            throw StoreError(.database, "cannot copy the database to \(path): \(error)")
        }
        return try Store(path: path)
    }

    /// Shipped migrations are never edited; new ones are appended.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "booking") { t in
                t.primaryKey("reference", .text)
                t.column("version", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("meeting_start", .integer).notNull()
                t.column("body", .text).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("dedupe_key", .text).notNull().unique()
                t.column("booking_reference", .text).notNull().indexed()
                t.column("booking_version", .integer).notNull()
                t.column("message", .text).notNull()
                t.column("role", .text).notNull()
                t.column("party_index", .integer).notNull()
                t.column("due_at", .integer).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("message_id", .text)
                t.column("last_error", .text)
                t.column("updated_at", .integer).notNull()
            }
            try db.create(table: "delivery") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("job_id", .integer).notNull().references("job").indexed()
                t.column("at", .integer).notNull()
                t.column("message_id", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("code", .integer)
                t.column("reply", .text).notNull()
            }
        }
        migrator.registerMigration("v2-calls") { db in
            try db.create(table: "call") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("booking_reference", .text).notNull().indexed()
                t.column("booking_version", .integer).notNull()
                t.column("mediator", .text).notNull()
                t.column("with_roles", .text).notNull()
                t.column("state", .text).notNull() // planned | unscheduled
                t.column("start_at", .integer)
                t.column("end_at", .integer)
                t.column("meeting_at", .integer).notNull()
                t.column("reason", .text)
            }
            try db.create(index: "call_by_time", on: "call", columns: ["mediator", "start_at"])
        }
        migrator.registerMigration("v3-mediator-mail") { db in
            // The mediator a certificate reminder or agenda goes to.
            try db.alter(table: "job") { t in t.add(column: "mediator", .text) }
        }
        migrator.registerMigration("v4-delivery-rendered") { db in
            // What was rendered for the attempt: locale, subject and size.
            try db.alter(table: "delivery") { t in t.add(column: "rendered", .text) }
        }
        return migrator
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    /// Runs `body` in one write transaction, mapping failures to ``StoreError``.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try mappingErrors("write") { try pool.write(body) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try mappingErrors("read") { try pool.read(body) }
    }

    /// Our own errors pass through; SQLite's become ``StoreError/Kind/database``.
    private func mappingErrors<T>(_ what: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "database \(what) failed: \(error)")
        }
    }
}
