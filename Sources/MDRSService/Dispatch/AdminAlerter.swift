import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import Synchronization

/// Tells the service's staff when something needs a person: an email to
/// `service.admin_email` and an error in the journal. The same alert is
/// sent at most once an hour, so a broken relay does not flood the inbox.
public final class AdminAlerter: Sendable {
    private let address: String
    private let templates: TemplateCatalog
    private let composer: EmailComposer
    private let transport: any MailTransport
    private let logger: Logger
    private let lastSent = Mutex<[String: Date]>([:])

    public init(address: String, templates: TemplateCatalog, composer: EmailComposer, transport: any MailTransport, logger: Logger) {
        self.address = address
        self.templates = templates
        self.composer = composer
        self.transport = transport
        self.logger = logger
    }

    /// Sends `context` unless the same `key` was alerted in the last hour.
    /// Returns whether an email went.
    @discardableResult
    public func alert(_ context: AdminAlertContext, key: String, now: Date) async -> Bool {
        logger.error("admin alert", metadata: ["summary": "\(context.summary)", "booking": "\(context.reference ?? "-")",
                                               "detail": "\(LogRedaction.addresses(in: context.detail))"])
        let due = lastSent.withLock { sent -> Bool in
            if let last = sent[key], now.timeIntervalSince(last) < 3600 { return false }
            sent[key] = now
            return true
        }
        guard due else { return false }
        let rendered = templates.render(.adminAlert, context: context)
        let jobKey = "admin_alert.\(key).\(Int(now.timeIntervalSince1970))"
        let email = composer.compose(rendered, to: address, name: nil, jobKey: jobKey, date: now)
        do throws(DeliveryError) {
            _ = try await transport.send(MailEnvelope(sender: email.sender, recipient: email.recipient,
                                                      messageID: email.messageID, data: email.data))
            return true
        } catch {
            logger.critical("cannot email the admin alert", metadata: ["error": "\(LogRedaction.addresses(in: error.description))"])
            return false
        }
    }
}
