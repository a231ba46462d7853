import Foundation
public import Logging
public import Mailer
public import MediationDomain
public import Messages
import PostgresStore
import SQLiteStore
public import Store

/// One configured mdrsd: the config and what it opens. Built the same way by
/// the daemon and by `mdrsctl`, so both see the same files.
public struct Instance: Sendable {
    public let config: Config
    public let store: any MDRSStore
    public let templates: LocalizedTemplates
    public let composer: EmailComposer

    /// Loads and checks everything the config names, and opens the store.
    /// - Throws: ``ConfigError`` naming the file and key at fault.
    public init(configPath: String) async throws(ConfigError) {
        let config = try ConfigLoader.load(path: configPath)
        try self.init(config: config, store: try await Self.openStore(config))
    }

    /// The store the config names: its schema migrated, ready for work.
    public static func openStore(_ config: Config) async throws(ConfigError) -> any MDRSStore {
        switch config.store {
        case .sqlite(let path):
            do {
                return try SQLiteStore(path: path.path)
            } catch {
                throw ConfigError(file: config.file.path, key: "paths.database", message: error.message, cause: error)
            }
        case .postgres(let settings, let instance, let connections):
            do {
                return try await PostgresStore.open(settings, instance: instance, connections: connections)
            } catch {
                throw ConfigError(file: config.file.path, key: "store.url", message: "\(settings.display): \(error.message)", cause: error)
            }
        }
    }

    /// An instance on an already open store.
    public init(config: Config, store: any MDRSStore) throws(ConfigError) {
        self.config = config
        self.store = store
        do {
            templates = try LocalizedTemplates(root: config.templates.path, mainLocale: config.locale)
        } catch {
            throw ConfigError(file: error.file, line: error.line, column: error.column, key: "paths.templates", message: error.message,
                              cause: error)
        }
        composer = EmailComposer(service: config.service)
    }

    /// The config file read again, with its templates, on the same store.
    /// - Throws: ``ConfigError`` for a bad config, or one that moves the
    ///   database or the spool (which needs a restart).
    public func reloaded() throws(ConfigError) -> Instance {
        let fresh = try ConfigLoader.load(path: config.file.path)
        for (key, old, new) in [("paths.database", config.database.path, fresh.database.path), ("paths.spool", config.spool.path, fresh.spool.path),
                                ("store.url", "\(config.store)", "\(fresh.store)")]
        where old != new {
            throw ConfigError(file: fresh.file.path, key: key, message: "changed from \(old) to \(new); restart mdrsd to apply it")
        }
        return try Instance(config: fresh, store: store)
    }

    /// Builds emails with this instance's templates and identity.
    public var builder: MessageBuilder { MessageBuilder(templates: templates, composer: composer, agendaNumbers: config.agendaNumbers) }

    /// The transport the config asks for.
    public func makeTransport(logger: Logger) throws(ConfigError) -> any MailTransport {
        do {
            switch config.transport {
            case .file(let outbox, let fsync):
                return try FileTransport(directory: outbox, fsync: fsync)
            case .smtp(let settings):
                if !settings.requireTLS && settings.url.hasPrefix("smtp://") {
                    logger.warning("mail.require_tls is false: email will be sent unencrypted", metadata: ["url": "\(settings.url)"])
                }
                return try SMTPTransport(settings: settings)
            }
        } catch {
            throw ConfigError(file: config.file.path, key: "mail", message: error.message, cause: error)
        }
    }
}
