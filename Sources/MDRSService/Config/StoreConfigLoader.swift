import Foundation
import Glibc
import MediationDomain
import PostgresStore

/// Reads `[store]`: without `url` the store is SQLite at `paths.database`;
/// with a `postgresql://` URL it is that database, shared by every instance
/// that names it, each under its own `instance` name.
enum StoreConfigLoader {
    static let keys: Set<String> = ["url", "password_file", "instance", "lease_seconds", "connections"]

    static func store(_ reader: TableReader, database: URL, resolve: (String) -> URL) throws(ConfigError) -> Config.StoreLocation {
        guard let url = try reader.optionalString("store", "url") else {
            for key in ["password_file", "instance", "connections"] where reader.value("store", key) != nil {
                throw ConfigError(file: reader.file, key: "store.\(key)", message: "needs store.url (a postgresql:// URL); SQLite uses paths.database")
            }
            return .sqlite(database)
        }
        let password = try reader.optionalString("store", "password_file").map { path throws(ConfigError) in
            try ConfigLoader.secret(reader, "store", "password_file", resolve: resolve, path: path)
        }
        let settings: PostgresSettings
        do {
            settings = try PostgresSettings(url: url, password: password)
        } catch {
            throw ConfigError(file: reader.file, key: "store.url", message: error.description)
        }
        let instance = try reader.string("store", "instance", default: hostName)
        guard !instance.isEmpty, instance.count <= 64 else {
            throw ConfigError(file: reader.file, key: "store.instance", message: "must be 1 to 64 characters")
        }
        return .postgres(settings, instance: instance, connections: try reader.int("store", "connections", default: 4, in: 2...64))
    }

    /// A claim's lease: long enough for the slowest send (`mail.timeout_seconds`).
    static func lease(_ reader: TableReader, timeout: Int) throws(ConfigError) -> TimeInterval {
        let lease = try reader.int("store", "lease_seconds", default: 600, in: 10...86_400)
        guard lease > timeout else {
            throw ConfigError(file: reader.file, key: "store.lease_seconds",
                              message: "must be longer than mail.timeout_seconds (\(timeout)), or a slow send would be taken over")
        }
        return TimeInterval(lease)
    }

    /// This machine's name, the default instance name.
    private static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "mdrsd" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
