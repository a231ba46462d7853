import ArgumentParser
import Foundation
import MDRSService
import PostgresStore
import SQLiteStore
import Store

struct StoreCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move the database: copy the whole store into another, empty one (SQLite to PostgreSQL, or back).",
        subcommands: [Copy.self])

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every booking, email, delivery, alert and audit entry into an empty store.",
            discussion: """
            Stop mdrsd first (systemctl stop mdrsd), so nothing changes while it copies. TARGET is a \
            postgresql:// URL (its password in --password-file, never in the URL) or the path of a new SQLite \
            file. The target's schema is created; a target that already holds bookings or emails is refused. \
            Then point [store] url (or paths.database) at the target and start mdrsd: every email keeps its \
            id, state, due time and Message-ID, so nothing is sent twice and nothing is lost.
            """)
        @OptionGroup var options: ConfigOption
        @Option(name: .customLong("to"), help: "A postgresql:// URL, or a path for a new SQLite file.") var target: String
        @Option(help: "A file holding the target PostgreSQL user's password.") var passwordFile: String?

        func run() async throws {
            let instance = try await options.instance()
            guard let source = instance.store as? any TableCopying else {
                throw CommandFailure("mdrsctl: \(instance.store.location) cannot be copied")
            }
            let destination = try await Self.open(target, passwordFile: passwordFile)
            print("copying \(instance.store.location) into \(destination.location)")
            let report = try await storeCall { () async throws(StoreError) in
                try await StoreCopier.copy(from: source, to: destination)
            }
            for (table, count) in report.rows { print("  \(table.rawValue.padding(16))\(count)") }
            await instance.store.record("copy", "to \(destination.location)")
            print("done; now set [store] url (or paths.database) to the target and start mdrsd")
        }

        /// The target store, its schema created.
        static func open(_ target: String, passwordFile: String?) async throws -> any TableCopying & MDRSStore {
            if target.hasPrefix("postgres") {
                var password: String?
                if let passwordFile {
                    guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                        throw CommandFailure("mdrsctl: cannot read \(passwordFile)")
                    }
                    password = text.trimmingCharacters(in: .newlines)
                }
                let settings: PostgresSettings
                do {
                    settings = try PostgresSettings(url: target, password: password)
                } catch {
                    throw CommandFailure("mdrsctl: --to: \(error)")
                }
                return try await storeCall { () async throws(StoreError) in try await PostgresStore.open(settings, instance: "mdrsctl") }
            }
            guard passwordFile == nil else { throw ValidationError("--password-file is for a postgresql:// target") }
            guard !FileManager.default.fileExists(atPath: target) else {
                throw CommandFailure("mdrsctl: \(target) exists; copy into a new file")
            }
            return try await storeCall { () async throws(StoreError) in try SQLiteStore(path: target) }
        }
    }
}
