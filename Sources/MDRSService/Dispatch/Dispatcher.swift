import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import Store

/// Sends due jobs: checks each against the booking as stored now, renders
/// it for its one recipient, hands it to the transport and records how it
/// went. A job for an older booking version or a cancelled meeting is never
/// sent.
public struct Dispatcher: Sendable {
    public let store: Store
    public let templates: TemplateCatalog
    public let composer: EmailComposer
    public let transport: any MailTransport
    public let logger: Logger
    /// When a transient failure may be tried again; `nil` gives up.
    public var retryDelay: @Sendable (_ attempts: Int) -> TimeInterval? = { attempts in
        attempts >= 8 ? nil : min(60 * pow(2, Double(attempts - 1)), 3600)
    }

    public init(store: Store, templates: TemplateCatalog, composer: EmailComposer, transport: any MailTransport, logger: Logger) {
        self.store = store
        self.templates = templates
        self.composer = composer
        self.transport = transport
        self.logger = logger
    }

    /// What became of one job; a retry carries its next attempt's time.
    public enum Outcome: Sendable, Equatable {
        case sent, retry(Date), dead, skipped, notPending
    }

    /// Sends one job.
    public func dispatch(_ jobID: Int64, now: Date) async -> Outcome {
        do {
            guard let job = try store.job(jobID), [.pending, .retry].contains(job.state) else {
                return .notPending
            }
            guard let booking = try store.booking(job.bookingReference), booking.version == job.bookingVersion,
                  booking.status == .booked, job.partyIndex < booking.parties.count,
                  let address = booking.parties[job.partyIndex].email,
                  let kind = MessageKind(rawValue: job.message) else {
                try store.finish(jobID, state: .skipped, code: nil, reply: "booking changed or cancelled before sending", now: now)
                return .skipped
            }
            let party = booking.parties[job.partyIndex]
            let rendered = templates.render(kind, context: ConfirmationContext(booking: booking, party: party, service: composer.service))
            let email = composer.compose(rendered, to: address, name: party.name, jobKey: job.dedupeKey, date: now)
            guard let claimed = try store.claim(jobID, messageID: email.messageID, now: now) else { return .notPending }
            let metadata: Logger.Metadata = ["job": "\(jobID)", "message": "\(job.message)", "booking": "\(job.bookingReference)",
                                             "role": "\(job.role)", "message_id": "\(email.messageID)"]
            let delivery: Result<DeliveryReceipt, DeliveryError>
            do throws(DeliveryError) {
                delivery = .success(try await transport.send(MailEnvelope(
                    sender: email.sender, recipient: email.recipient, messageID: email.messageID, data: email.data)))
            } catch {
                delivery = .failure(error)
            }
            switch delivery {
            case .success(let receipt):
                try store.finish(jobID, state: .sent, code: receipt.code, reply: receipt.reply, now: now)
                logger.info("email sent", metadata: metadata.merging(["reply": "\(receipt.reply)"]) { $1 })
                return .sent
            case .failure(let error):
                if error.class == .transient, let delay = retryDelay(claimed.attempts) {
                    let next = now.addingTimeInterval(delay)
                    try store.finish(jobID, state: .retry, code: error.code, reply: error.message, retryAt: next, now: now)
                    logger.warning("email deferred", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                    return .retry(next)
                }
                try store.finish(jobID, state: .dead, code: error.code, reply: error.message, now: now)
                logger.error("email failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                return .dead
            }
        } catch {
            logger.error("cannot dispatch job", metadata: ["job": "\(jobID)", "error": "\(error)"])
            return .notPending
        }
    }
}
