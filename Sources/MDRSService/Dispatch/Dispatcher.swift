import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import Store
import Synchronization

/// Sends due jobs: checks each against the booking and calls as stored now,
/// renders it for its one recipient, hands it to the transport and records
/// how it went. A job for an older booking version, a cancelled meeting or
/// a moved call is never sent; a family-facing one waits out quiet hours.
///
/// Failures by class: transient ones are retried with backoff, but never at
/// or after the event the message is about; permanent ones, and transient
/// ones out of time, become dead letters and staff are alerted;
/// configuration failures alert staff at once and wait for them without
/// using up the message's attempts.
public struct Dispatcher: Sendable {
    public let store: Store
    public let config: Config
    public let builder: MessageBuilder
    public let transport: any MailTransport
    public let alerter: AdminAlerter
    public let limiter: SharedRateLimiter
    public let logger: Logger
    /// How long a message waits after a configuration failure.
    public var configurationRetryDelay: TimeInterval = 900

    public init(store: Store, config: Config, builder: MessageBuilder, transport: any MailTransport,
                alerter: AdminAlerter, limiter: SharedRateLimiter, logger: Logger) {
        self.store = store
        self.config = config
        self.builder = builder
        self.transport = transport
        self.alerter = alerter
        self.limiter = limiter
        self.logger = logger
    }

    /// What became of one job; a retry or a hold carries the next attempt's time.
    public enum Outcome: Sendable, Equatable {
        case sent, retry(Date), held(Date), dead, skipped(String), notPending
    }

    /// Sends one job.
    public func dispatch(_ jobID: Int64, now: Date) async -> Outcome {
        do {
            guard let job = try store.job(jobID), [.pending, .retry].contains(job.state) else { return .notPending }
            let resolved: JobResolver.Resolved
            switch try JobResolver(store: store, config: config).resolve(job) {
            case .success(let found): resolved = found
            case .failure(let reason): return try skip(jobID, reason.text, now: now)
            }
            if let usefulUntil = resolved.usefulUntil, now >= usefulUntil {
                return try skip(jobID, "its event has passed", now: now)
            }
            if let zone = resolved.quietZone {
                let morning = config.quietHours.release(now, zoneID: zone)
                if morning > now {
                    if let usefulUntil = resolved.usefulUntil, morning >= usefulUntil {
                        return try skip(jobID, "quiet hours last until after its event", now: now)
                    }
                    try store.postpone(jobID, until: morning, reason: "held for quiet hours", now: now)
                    return .held(morning)
                }
            }
            let wait = limiter.delay(now: now)
            if wait > 0 { return .retry(now.addingTimeInterval(wait)) }
            guard let kind = MessageKind(rawValue: job.message),
                  let (email, locale) = builder.email(kind, about: resolved.subject, jobKey: job.dedupeKey, now: now) else {
                return try skip(jobID, "the recipient has no email address", now: now)
            }
            guard let claimed = try store.claim(jobID, messageID: email.messageID, now: now) else { return .notPending }
            limiter.record(now: now)
            let metadata: Logger.Metadata = ["job": "\(jobID)", "message": "\(job.message)", "booking": "\(job.bookingReference)",
                                             "role": "\(job.role)", "message_id": "\(email.messageID)", "locale": "\(locale)"]
            let delivery: Result<DeliveryReceipt, DeliveryError>
            do throws(DeliveryError) {
                delivery = .success(try await transport.send(MailEnvelope(
                    sender: email.sender, recipient: email.recipient, messageID: email.messageID, data: email.data)))
            } catch {
                delivery = .failure(error)
            }
            let rendered = "\(locale): \(email.subject) (\(email.data.count) bytes)"
            switch delivery {
            case .success(let receipt):
                try store.finish(jobID, state: .sent, code: receipt.code, reply: receipt.reply, rendered: rendered, now: now)
                logger.info("email sent", metadata: metadata.merging(["reply": "\(LogRedaction.addresses(in: receipt.reply))"]) { $1 })
                return .sent
            case .failure(let error):
                return try await failed(claimed, error, usefulUntil: resolved.usefulUntil, rendered: rendered, now: now, metadata: metadata)
            }
        } catch {
            logger.error("cannot dispatch job", metadata: ["job": "\(jobID)", "error": "\(error)"])
            return .notPending
        }
    }

    private func skip(_ jobID: Int64, _ reason: String, now: Date) throws -> Outcome {
        try store.finish(jobID, state: .skipped, code: nil, reply: reason, now: now)
        logger.info("email skipped", metadata: ["job": "\(jobID)", "reason": "\(reason)"])
        return .skipped(reason)
    }

    private func failed(_ job: Job, _ error: DeliveryError, usefulUntil: Date?, rendered: String, now: Date,
                        metadata: Logger.Metadata) async throws -> Outcome {
        let logged = metadata.merging(["error": "\(LogRedaction.addresses(in: error.description))"]) { $1 }
        switch error.class {
        case .configuration:
            await alerter.alert(AdminAlertContext(
                service: builder.composer.service, summary: "Email cannot be sent: the mail settings need attention",
                detail: "The relay said: \(error.message). Check the [mail] settings and credentials, then reload mdrsd. Emails wait meanwhile.",
                reference: job.bookingReference, message: job.message, role: job.role), key: "configuration", now: now)
            let next = now.addingTimeInterval(configurationRetryDelay)
            if usefulUntil.map({ next < $0 }) ?? true {
                try store.finish(job.id, state: .retry, code: error.code, reply: error.message, retryAt: next, countsAsAttempt: false,
                                 rendered: rendered, now: now)
                logger.error("email held: configuration problem", metadata: logged)
                return .retry(next)
            }
        case .transient:
            var random = SystemRandomNumberGenerator()
            if let next = config.retry.nextAttempt(afterAttempts: job.attempts, now: now, usefulUntil: usefulUntil, using: &random) {
                try store.finish(job.id, state: .retry, code: error.code, reply: error.message, retryAt: next, rendered: rendered, now: now)
                logger.warning("email deferred", metadata: logged)
                return .retry(next)
            }
        case .permanent:
            break
        }
        try store.finish(job.id, state: .dead, code: error.code, reply: error.message, rendered: rendered, now: now)
        logger.error("email failed for good", metadata: logged)
        await alerter.alert(AdminAlertContext(
            service: builder.composer.service, summary: "An email could not be delivered",
            detail: "After \(job.attempts) attempt(s) the relay's last word was: \(error.message). Please contact this party another way, "
                + "or fix the address and run `mdrsctl outbox retry \(job.id)`.",
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
