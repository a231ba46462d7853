import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import Synchronization

/// The last resort for staff alerts, when the store cannot keep them (the
/// disk is full, the database is gone): an email straight to the transport,
/// at most one an hour per cause, and an error in the journal. Not durable.
final class DirectAlerter: Sendable {
    private let address: String
    private let templates: TemplateCatalog
    private let composer: EmailComposer
    private let transport: any MailTransport
    private let logger: Logger
    private let lastSent = Mutex<[String: Date]>([:])

    init(address: String, templates: TemplateCatalog, composer: EmailComposer, transport: any MailTransport, logger: Logger) {
        self.address = address
        self.templates = templates
        self.composer = composer
        self.transport = transport
        self.logger = logger
    }

    /// Sends `alert` unless its cause was alerted in the last hour.
    @discardableResult
    func send(_ alert: StaffAlert, now: Date) async -> Bool {
        let due = lastSent.withLock { sent -> Bool in
            if let last = sent[alert.cause], now.timeIntervalSince(last) < 3600 { return false }
            sent[alert.cause] = now
            return true
        }
        guard due else { return false }
        let context = AdminAlertContext(service: composer.service, alerts: [(alert, now)], zoneID: "Europe/London")
        let email = composer.compose(templates.render(.adminAlert, context: context), to: address, name: nil,
                                     jobKey: "admin_alert.direct.\(alert.cause).\(Int(now.timeIntervalSince1970))", date: now)
        do throws(DeliveryError) {
            _ = try await transport.send(MailEnvelope(email))
            return true
        } catch {
            logger.critical("cannot email the admin alert", metadata: ["error": "\(LogRedaction.addresses(in: error.description))"])
            return false
        }
    }
}
