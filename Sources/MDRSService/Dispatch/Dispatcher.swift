import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import Store
import Synchronization

/// Sends due jobs: checks each against the booking as stored now, renders
/// it for its one recipient, hands it to the transport and records how it
/// went. A job for an older booking version or a cancelled meeting is never
/// sent.
///
/// Failures by class: transient ones are retried with backoff, but never at
/// or after the event the message is about; permanent ones, and transient
/// ones out of time, become dead letters and staff are alerted;
/// configuration failures alert staff at once and wait for them without
/// using up the message's attempts.
public struct Dispatcher: Sendable {
    public let store: Store
    public let builder: MessageBuilder
    public let transport: any MailTransport
    public let alerter: AdminAlerter
    public let retry: RetryPolicy
    public let limiter: SharedRateLimiter
    public let logger: Logger
    /// How long a message waits after a configuration failure.
    public var configurationRetryDelay: TimeInterval = 900

    public init(store: Store, templates: TemplateCatalog, composer: EmailComposer, transport: any MailTransport,
                alerter: AdminAlerter, retry: RetryPolicy, limiter: SharedRateLimiter, logger: Logger) {
        self.store = store
        self.builder = MessageBuilder(templates: templates, composer: composer)
        self.transport = transport
        self.alerter = alerter
        self.retry = retry
        self.limiter = limiter
        self.logger = logger
    }

    /// What became of one job; a retry carries its next attempt's time.
    public enum Outcome: Sendable, Equatable {
        case sent, retry(Date), dead, skipped, notPending
    }

    /// Until when a message is worth sending: a confirmation is useless
    /// once the meeting has started.
    static func usefulUntil(_ kind: MessageKind, booking: Booking) -> Date? {
        switch kind {
        case .bookingConfirmation, .bookingChanged, .bookingCancelled: booking.meeting.start
        case .adminAlert: nil
        }
    }

    /// Sends one job.
    public func dispatch(_ jobID: Int64, now: Date) async -> Outcome {
        do {
            guard let job = try store.job(jobID), [.pending, .retry].contains(job.state) else { return .notPending }
            // Only the version the job was planned for: an older version's
            // emails are never sent, and a cancellation only for a cancelled one.
            guard let booking = try store.booking(job.bookingReference), booking.version == job.bookingVersion,
                  let kind = MessageKind(rawValue: job.message),
                  (booking.status == .cancelled) == (kind == .bookingCancelled),
                  job.partyIndex < booking.parties.count, booking.parties[job.partyIndex].email != nil else {
                try store.finish(jobID, state: .skipped, code: nil, reply: "booking changed or cancelled before sending", now: now)
                return .skipped
            }
            let usefulUntil = Self.usefulUntil(kind, booking: booking)
            if let usefulUntil, now >= usefulUntil {
                try store.finish(jobID, state: .skipped, code: nil, reply: "its event has passed", now: now)
                return .skipped
            }
            let wait = limiter.delay(now: now)
            if wait > 0 { return .retry(now.addingTimeInterval(wait)) }

            guard let email = builder.email(kind, booking: booking, partyIndex: job.partyIndex, jobKey: job.dedupeKey, now: now) else {
                return .notPending
            }
            guard let claimed = try store.claim(jobID, messageID: email.messageID, now: now) else { return .notPending }
            limiter.record(now: now)
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
                logger.info("email sent", metadata: metadata.merging(["reply": "\(LogRedaction.addresses(in: receipt.reply))"]) { $1 })
                return .sent
            case .failure(let error):
                return try await failed(claimed, error, usefulUntil: usefulUntil, now: now, metadata: metadata)
            }
        } catch {
            logger.error("cannot dispatch job", metadata: ["job": "\(jobID)", "error": "\(error)"])
            return .notPending
        }
    }

    private func failed(_ job: Job, _ error: DeliveryError, usefulUntil: Date?, now: Date,
                        metadata: Logger.Metadata) async throws -> Outcome {
        let logged = metadata.merging(["error": "\(LogRedaction.addresses(in: error.description))"]) { $1 }
        switch error.class {
        case .configuration:
            await alerter.alert(AdminAlertContext(
                service: builder.composer.service, summary: "Email cannot be sent: the mail settings need attention",
                detail: "The relay said: \(error.message). Check the [mail] settings and credentials, then restart mdrsd. Emails wait meanwhile.",
                reference: job.bookingReference, message: job.message, role: job.role), key: "configuration", now: now)
            let next = now.addingTimeInterval(configurationRetryDelay)
            if usefulUntil.map({ next < $0 }) ?? true {
                try store.finish(job.id, state: .retry, code: error.code, reply: error.message, retryAt: next, countsAsAttempt: false, now: now)
                logger.error("email held: configuration problem", metadata: logged)
                return .retry(next)
            }
        case .transient:
            var random = SystemRandomNumberGenerator()
            if let next = retry.nextAttempt(afterAttempts: job.attempts, now: now, usefulUntil: usefulUntil, using: &random) {
                try store.finish(job.id, state: .retry, code: error.code, reply: error.message, retryAt: next, now: now)
                logger.warning("email deferred", metadata: logged)
                return .retry(next)
            }
        case .permanent:
            break
        }
        try store.finish(job.id, state: .dead, code: error.code, reply: error.message, now: now)
        logger.error("email failed for good", metadata: logged)
        await alerter.alert(AdminAlertContext(
            service: builder.composer.service, summary: "An email could not be delivered",
            detail: "After \(job.attempts) attempt(s) the relay's last word was: \(error.message). Please contact this party another way.",
            reference: job.bookingReference, message: job.message, role: job.role), key: "dead.\(job.id)", now: now)
        return .dead
    }
}

/// One rate limiter shared by every send.
public final class SharedRateLimiter: Sendable {
    private let limiter: Mutex<RateLimiter>

    public init(_ limiter: RateLimiter) { self.limiter = Mutex(limiter) }

    func delay(now: Date) -> TimeInterval { limiter.withLock { $0.delay(now: now) } }
    func record(now: Date) { limiter.withLock { $0.record(now: now) } }
}
