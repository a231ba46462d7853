import Foundation
import Logging
import Mailer
import Messages
import Store

/// One configured mdrsd: the config and what it opens. Built the same way by
/// the daemon and by `mdrsctl`, so both see the same files.
public struct Instance: Sendable {
    public let config: Config
    public let store: Store
    public let templates: LocalizedTemplates
    public let composer: EmailComposer

    /// Loads and checks everything the config names.
    /// - Throws: ``ConfigError`` naming the file and key at fault.
    public init(configPath: String) throws(ConfigError) {
        let config = try ConfigLoader.load(path: configPath)
        let store: Store
        do {
            store = try Store(path: config.database.path)
        } catch {
            throw ConfigError(file: config.file.path, key: "paths.database", message: error.message)
        }
        try self.init(config: config, store: store)
    }

    /// An instance on an already open store.
    public init(config: Config, store: Store) throws(ConfigError) {
        self.config = config
        self.store = store
        do {
            templates = try LocalizedTemplates(root: config.templates.path, mainLocale: config.locale)
        } catch {
            throw ConfigError(file: config.file.path, key: "paths.templates", message: error.description)
        }
        composer = EmailComposer(service: config.service)
    }

    /// The config file read again, with its templates, on the same store.
    /// - Throws: ``ConfigError`` for a bad config, or one that moves the
    ///   database or the spool (which needs a restart).
    public func reloaded() throws(ConfigError) -> Instance {
        let fresh = try ConfigLoader.load(path: config.file.path)
        for (key, old, new) in [("paths.database", config.database.path, fresh.database.path), ("paths.spool", config.spool.path, fresh.spool.path)]
        where old != new {
            throw ConfigError(file: fresh.file.path, key: key, message: "changed from \(old) to \(new); restart mdrsd to apply it")
        }
        return try Instance(config: fresh, store: store)
    }

    /// Builds emails with this instance's templates and identity.
    public var builder: MessageBuilder { MessageBuilder(templates: templates, composer: composer) }

    /// The transport the config asks for.
    public func makeTransport(logger: Logger) throws(ConfigError) -> any MailTransport {
        do {
            switch config.transport {
            case .file(let outbox):
                return try FileTransport(directory: outbox)
            case .smtp(let settings):
                if !settings.requireTLS && settings.url.hasPrefix("smtp://") {
                    logger.warning("mail.require_tls is false: email will be sent unencrypted", metadata: ["url": "\(settings.url)"])
                }
                return try SMTPTransport(settings: settings)
            }
        } catch {
            throw ConfigError(file: config.file.path, key: "mail", message: error.message)
        }
    }
}
