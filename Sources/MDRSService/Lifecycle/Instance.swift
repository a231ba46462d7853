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
    public let templates: TemplateCatalog
    public let composer: EmailComposer

    /// Loads and checks everything the config names.
    /// - Throws: ``ConfigError`` naming the file and key at fault.
    public init(configPath: String) throws(ConfigError) {
        let config = try ConfigLoader.load(path: configPath)
        self.config = config
        do {
            templates = try TemplateCatalog(directory: config.templateFolder.path)
        } catch {
            throw ConfigError(file: config.file.path, key: "paths.templates", message: error.description)
        }
        do {
            store = try Store(path: config.database.path)
        } catch {
            throw ConfigError(file: config.file.path, key: "paths.database", message: error.message)
        }
        composer = EmailComposer(service: config.service)
    }

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
