public import Foundation

/// Where a PostgreSQL store is and how to reach it, from a `postgresql://`
/// URL and a password read from a file (never from the URL, which appears
/// in logs):
///
/// - `postgresql://mdrsd@db.example.org:5432/mdrsd` — TCP; TLS verified
///   (`sslmode=verify-full`) unless the host is loopback.
/// - `postgresql://mdrsd@/mdrsd?host=/run/postgresql` — the server's Unix
///   socket folder (`.s.PGSQL.5432` in it).
///
/// `sslmode` is `disable`, `require` (encrypted, certificate not checked)
/// or `verify-full` (checked against `sslrootcert=FILE`, else the system's
/// CAs, and the host name).
public struct PostgresSettings: Sendable, Equatable {
    /// How the server is reached.
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself, `FOLDER/.s.PGSQL.PORT`.
        case socket(path: String)
    }

    /// Whether and how the connection is encrypted.
    public enum TLSMode: String, Sendable, Equatable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The CA certificates that sign the server's, for `verify-full`.
    public var rootCertificate: String?

    /// Why a URL cannot be used.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Settings from `url`, with `password` (read from a file by the caller).
    public init(url text: String, password: String? = nil) throws(Invalid) {
        guard let components = URLComponents(string: text), ["postgresql", "postgres"].contains(components.scheme ?? "") else {
            throw Invalid(description: "'\(Self.redacted(text))' is not a postgresql:// URL")
        }
        if components.password != nil {
            throw Invalid(description: "the URL must not hold the password (it is logged); put it in password_file")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        for name in query.keys where !["host", "port", "user", "sslmode", "sslrootcert", "dbname"].contains(name) {
            throw Invalid(description: "unknown URL parameter '\(name)' (known: host, port, user, sslmode, sslrootcert, dbname)")
        }
        let port: Int
        if let text = query["port"] {
            guard let number = Int(text), (1...65535).contains(number) else { throw Invalid(description: "port '\(text)' is not a port") }
            port = number
        } else {
            port = components.port ?? 5432
        }
        let host = query["host"] ?? (components.host.flatMap { $0.isEmpty ? nil : $0 })
        guard let host else { throw Invalid(description: "the URL names no host (or host=/socket/folder)") }
        endpoint = host.hasPrefix("/") ? .socket(path: "\(host)/.s.PGSQL.\(port)") : .tcp(host: host, port: port)
        guard let user = query["user"] ?? (components.user.flatMap { $0.isEmpty ? nil : $0 }) else {
            throw Invalid(description: "the URL names no user (postgresql://USER@HOST/DATABASE)")
        }
        username = user
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard let name = query["dbname"] ?? (path.isEmpty ? nil : path) else {
            throw Invalid(description: "the URL names no database (postgresql://USER@HOST/DATABASE)")
        }
        database = name
        self.password = password
        rootCertificate = query["sslrootcert"]
        if let mode = query["sslmode"] {
            guard let parsed = TLSMode(rawValue: mode) else {
                throw Invalid(description: "sslmode '\(mode)' is not one of disable, require, verify-full")
            }
            tls = parsed
        } else if case .tcp(let host, _) = endpoint, !["localhost", "127.0.0.1", "::1"].contains(host) {
            tls = .verifyFull
        } else {
            tls = .disable
        }
        if case .socket = endpoint, tls != .disable {
            throw Invalid(description: "a Unix socket is not encrypted: leave sslmode out, or set it to disable")
        }
    }

    /// Where it connects, for logs: no password.
    public var display: String {
        switch endpoint {
        case .tcp(let host, let port): "\(username)@\(host):\(port)/\(database)"
        case .socket(let path): "\(username)@\(path) \(database)"
        }
    }

    /// A URL with anything after a colon in its user part left out.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at else { return url }
        let user = url[scheme.upperBound..<at]
        guard let colon = user.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":…" + String(url[at...])
    }
}
