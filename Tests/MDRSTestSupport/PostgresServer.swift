import Foundation
import Glibc

/// The throwaway PostgreSQL cluster the tests share (Debian's
/// `postgresql`, run by `Tests/Support/pg_cluster.sh`): the one `make test`
/// started (named in MDRSD_TEST_PG_SOCKETS and MDRSD_TEST_PG_PORT), or else
/// one this process starts on first use and stops when it exits. Each test
/// gets a database of its own.
public final class PostgresServer: Sendable {
    /// The folder the server's Unix socket is in.
    public let sockets: String
    /// Its loopback port (password logins; the socket trusts).
    public let port: Int

    /// The shared server; throws when PostgreSQL is not installed.
    public static func shared() throws -> PostgresServer {
        try started.get()
    }

    /// A new empty database of the shared server, made on a thread of its
    /// own: starting the server or running psql must not hold one of the
    /// few threads every test in the process shares.
    public static func database(_ label: String) async throws -> String {
        try await TestEnvironment.onOwnThread { try shared().makeDatabase(label) }
    }

    private static let started = Result<PostgresServer, any Error> { try start() }

    private static func start() throws -> PostgresServer {
        let environment = ProcessInfo.processInfo.environment
        if let sockets = environment["MDRSD_TEST_PG_SOCKETS"], let port = environment["MDRSD_TEST_PG_PORT"].flatMap(Int.init) {
            return PostgresServer(sockets: sockets, port: port)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-pg-\(getpid())").path
        let output = try script(["start", folder])
        var values: [String: String] = [:]
        for pair in output.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let port = values["MDRSD_TEST_PG_PORT"].flatMap(Int.init) else { throw ServerError(message: "pg_cluster.sh said: \(output)") }
        stopCommand = "'\(scriptPath)' stop '\(folder)' >/dev/null 2>&1"
        // At exit Foundation may be half gone: a plain system(3).
        atexit { if let command = PostgresServer.stopCommand { _ = system(command) } }
        return PostgresServer(sockets: folder, port: port)
    }

    /// Stops the cluster this process started, at exit.
    nonisolated(unsafe) private static var stopCommand: String?

    private static var scriptPath: String { TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/pg_cluster.sh").path }

    private init(sockets: String, port: Int) {
        self.sockets = sockets
        self.port = port
    }

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// A new empty database; returns its `postgresql://` URL (Unix socket, trusted).
    public func makeDatabase(_ label: String = "test") throws -> String {
        let name = "\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        try sql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// The URL of `database` over the Unix socket.
    public func url(database: String, user: String = "mdrsd") -> String {
        "postgresql://\(user)@/\(database)?host=\(sockets)&port=\(port)"
    }

    /// The rows a query returns in the database of `url` (one made by
    /// ``makeDatabase(_:)``), each row's columns joined by `|`.
    public func query(_ statement: String, url: String) throws -> [String] {
        let database = url.components(separatedBy: "@/").last?.components(separatedBy: "?").first ?? "postgres"
        return try psql(["-A", "-t", "-c", statement], database: database).split(separator: "\n").map(String.init)
    }

    /// Runs SQL as the superuser, in `database`.
    public func sql(_ statement: String, database: String = "postgres") throws {
        _ = try psql(["-c", statement], database: database)
    }

    private func psql(_ arguments: [String], database: String) throws -> String {
        let run = try CommandRun.run(URL(fileURLWithPath: "/usr/bin/psql"),
                                     ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sockets, "-p", String(port), "-U", "mdrsd", "-d", database]
                                        + arguments)
        guard run.status == 0 else { throw ServerError(message: "psql \(arguments.last?.prefix(60) ?? ""): \(run.stderr)") }
        return run.stdout
    }

    private static func script(_ arguments: [String]) throws -> String {
        let run = try CommandRun.run(URL(fileURLWithPath: scriptPath), arguments)
        guard run.status == 0 else { throw ServerError(message: "pg_cluster.sh \(arguments[0]) failed: \(run.stdout)\(run.stderr)") }
        return run.stdout
    }
}
