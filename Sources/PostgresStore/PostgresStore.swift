import Foundation
public import Logging
import NIOCore
import PostgresNIO
public import Store

/// The store for several instances: one PostgreSQL database that every
/// mdrsd and `mdrsctl` share. Claims are row locks taken with `SKIP
/// LOCKED` and leases that survivors take back; planning is serialised per
/// mediator by advisory locks; instances hear each other's changes by
/// `LISTEN/NOTIFY`. It keeps the same tables, columns and meaning as the
/// SQLite store, so one copies to the other (`mdrsctl store copy`).
public final class PostgresStore: MDRSStore, Sendable {
    let connections: ConnectionSet
    /// Where it connects (no password).
    public let settings: PostgresSettings
    /// This instance's name, written on its claims: at start-up it takes
    /// back only its own interrupted sends, never another live instance's.
    public let instance: String
    let logger: Logger
    /// Bookings decoded, for the emails about them.
    let bookings = BookingCache()

    public var location: String { "postgresql \(settings.display)" }

    public var isShared: Bool { true }

    /// Connects to the database and brings its schema up to date.
    /// - Parameters:
    ///   - instance: this instance's name; unique among the instances.
    ///   - connections: how many queries may run at once.
    public static func open(_ settings: PostgresSettings, instance: String, connections: Int = 4,
                            logger: Logger = Logger(label: "mdrsd.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
    async throws(StoreError) -> PostgresStore {
        let set: ConnectionSet
        do {
            set = try ConnectionSet(settings: settings, size: connections, logger: logger)
        } catch {
            throw StoreError(.database, "cannot set up TLS for \(settings.display): \(error)", cause: error)
        }
        let store = PostgresStore(connections: set, settings: settings, instance: instance, logger: logger)
        try await Schema.migrate(store)
        return store
    }

    private init(connections: ConnectionSet, settings: PostgresSettings, instance: String, logger: Logger) {
        self.connections = connections
        self.settings = settings
        self.instance = instance
        self.logger = logger
    }

    /// Closes its connections.
    public func close() async { await connections.close() }

    /// Runs `body` in one transaction on one connection: committed if it
    /// returns, rolled back if it throws.
    func write<T: Sendable>(_ what: String, _ body: (Session) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await using { session in
                try await session.run("BEGIN")
                // Bookings, alerts, re-plans, retries: durable when committed.
                try await session.run("SET LOCAL synchronous_commit = on")
                do {
                    let value = try await body(session)
                    try await session.run("COMMIT")
                    return value
                } catch {
                    // A broken connection rolls back by itself; the set drops it.
                    try? await session.run("ROLLBACK")
                    throw error
                }
            }
        } catch {
            throw Self.mapped(error, "database write failed (\(what))")
        }
    }

    /// Runs one writing statement, committed as it runs: one round trip,
    /// not three (BEGIN, it, COMMIT). Its commit does not wait for the
    /// server's disk: a crash of the server can lose it only with every
    /// commit after it, which for a claim, an outcome or a release means an
    /// email goes again with its Message-ID (at least once), never a loss.
    func statement<T: Sendable>(_ what: String, _ body: (Session) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await using(body)
        } catch {
            throw Self.mapped(error, "database write failed (\(what))")
        }
    }

    /// Runs `body` outside a transaction: each statement sees what was
    /// committed when it began.
    func read<T: Sendable>(_ what: String, _ body: (Session) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await using(body)
        } catch {
            throw Self.mapped(error, "database read failed (\(what))")
        }
    }

    /// Runs `body` on a connection of the set, given back after.
    private func using<T>(_ body: (Session) async throws -> T) async throws -> T {
        let connection = try await connections.take()
        do {
            let value = try await body(Session(connection: connection, logger: logger))
            await connections.giveBack(connection)
            return value
        } catch {
            await connections.giveBack(connection)
            throw error
        }
    }

    /// Our own errors pass through; PostgreSQL's keep their cause and say
    /// whether waiting helps, by SQLSTATE class: a lost connection, a
    /// deadlock or serialisation failure, a full disk are transient.
    static func mapped(_ error: any Error, _ context: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is CancellationError { return StoreError(.cancelled, "\(context): stopped", cause: error) }
        guard let psql = error as? PSQLError else {
            return StoreError(.unavailable, "\(context): \(error)", cause: error)
        }
        let state = psql.serverInfo?[.sqlState] ?? ""
        let message = psql.serverInfo?[.message] ?? "\(psql.code)"
        let kind: StoreError.Kind
        switch psql.code {
        case .server:
            switch state {
            case "40001", "40P01", "55P03", "55006": kind = .busy
            case "57014": kind = .cancelled
            case _ where state.hasPrefix("53"): kind = .full
            case _ where state.hasPrefix("08") || state.hasPrefix("57P") || state == "58030": kind = .unavailable
            default: kind = .database
            }
        case .queryCancelled: kind = .cancelled
        default: kind = .unavailable
        }
        return StoreError(kind, "\(context): \(message)\(state.isEmpty ? "" : " (SQLSTATE \(state))")", cause: psql)
    }
}
