import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// A few connections to one database, opened when first wanted and kept
/// while they work; a broken one is dropped and the next user opens a new
/// one. No timers: PostgresClient's pool keeps connections alive and
/// closes idle ones on `ContinuousClock` sleeps, which on Linux run on
/// libdispatch workers and would wake an idle daemon every second.
actor ConnectionSet {
    private let configuration: PostgresConnection.Configuration
    private let size: Int
    private let logger: Logger
    private var idle: [PostgresConnection] = []
    private var open = 0
    /// Users waiting for a connection; `nil` hands them a free slot to open.
    private var waiting: [CheckedContinuation<PostgresConnection?, Never>] = []
    private var nextID = 1

    init(settings: PostgresSettings, size: Int, logger: Logger) throws {
        configuration = try Self.configuration(settings)
        self.size = max(size, 1)
        self.logger = logger
    }

    deinit {
        // A connection must be closed before it goes; each is kept until its close is done.
        for connection in idle { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
    }

    /// A connection of its own for LISTEN, outside the set.
    func dedicated() async throws -> PostgresConnection {
        nextID += 1
        return try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
    }

    /// A connection of the set for the caller alone, waiting for one if
    /// all are busy; give it back with ``giveBack(_:)``.
    func take() async throws -> PostgresConnection {
        while let connection = idle.popLast() {
            if !connection.isClosed { return connection }
            open -= 1
        }
        if open >= size {
            // Handed a connection, or (nil) the slot of one that broke.
            if let handed = await withCheckedContinuation({ waiting.append($0) }) { return handed }
        } else {
            // Counted before the connect, so others wait for it.
            open += 1
        }
        nextID += 1
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: nextID, logger: logger)
        } catch {
            release()
            throw error
        }
    }

    /// A connection taken with ``take()``, done with (or broken).
    func giveBack(_ connection: PostgresConnection) {
        guard !connection.isClosed else { release(); return }
        if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// A slot freed: a waiter opens a connection in it.
    private func release() {
        if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: nil)
        } else {
            open -= 1
        }
    }

    /// Closes every idle connection (at shutdown).
    func close() async {
        let closing = idle
        idle = []
        open -= closing.count
        for connection in closing { try? await connection.close() }
    }

    private static func configuration(_ settings: PostgresSettings) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch settings.endpoint {
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: settings.username, password: settings.password, database: settings.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            switch settings.tls {
            case .disable:
                tls = .disable
            case .require, .verifyFull:
                var client = TLSConfiguration.makeClientConfiguration()
                if settings.tls == .require { client.certificateVerification = .none }
                if let root = settings.rootCertificate { client.trustRoots = .file(root) }
                tls = .require(try NIOSSLContext(configuration: client))
            }
            configuration = .init(host: host, port: port, username: settings.username, password: settings.password,
                                  database: settings.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        // A claim or an outcome need not wait for the server's disk (see
        // PostgresStore.statement); transactions that must, say so.
        configuration.options.additionalStartupParameters = [("synchronous_commit", "off")]
        return configuration
    }
}
