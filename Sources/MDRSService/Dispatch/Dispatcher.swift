public import Foundation
public import Logging
public import Mailer
import MediationDomain
public import Messages
public import Store
import Synchronization

/// Sends due jobs: checks each against the booking and calls as stored now,
/// renders it for its one recipient, hands it to the transport and records
/// how it went. A job for an older booking version, a cancelled meeting or
/// a moved call is never sent; a family-facing one waits out quiet hours.
///
/// Failures by class: transient ones are retried with backoff, but never at
/// or after the event the message is about; permanent ones, and transient
/// ones out of time, become dead letters and staff are alerted;
/// configuration failures alert staff and wait without using up the
/// message's attempts. When the store itself fails, the job comes back
/// later; a send whose outcome could not be recorded is not sent again.
public struct Dispatcher: Sendable {
    /// What became of one job.
    public enum Outcome: Sendable, Equatable {
        case sent, retry(Date), held(Date), dead, skipped(String), notPending
        /// Not sent: an earlier email to the address bounced.
        case heldAfterBounce
        /// The store could not be read or written: try again at this time.
        case storeUnavailable(Date)
    }

    public let store: any MDRSStore
    public let config: Config
    public let builder: MessageBuilder
    public let transport: any MailTransport
    public let alerts: AlertRaiser
    public let limiter: SharedRateLimiter
    public let logger: Logger
    let backlog: FinishBacklog
    /// How long a message waits after a configuration failure.
    public var configurationRetryDelay: TimeInterval = 900
    /// How long a job waits after the store failed it.
    public var storeRetryDelay: TimeInterval = 15
    /// How long a claim lasts before another sender may take the job.
    public var lease: TimeInterval = 600

    init(store: any MDRSStore, config: Config, builder: MessageBuilder, transport: any MailTransport, alerts: AlertRaiser,
         limiter: SharedRateLimiter, backlog: FinishBacklog, logger: Logger) {
        self.store = store
        self.config = config
        self.builder = builder
        self.transport = transport
        self.alerts = alerts
        self.limiter = limiter
        self.backlog = backlog
        self.logger = logger
    }

    /// Sends one job.
    public func dispatch(_ jobID: Int64, now: Date) async -> Outcome {
        if let outcome = backlog.held(jobID) { return await record(jobID, outcome, now: now) }
        do {
            return try await attempt(jobID, now: now)
        } catch {
            logger.error("store unavailable; the email waits", metadata: ["job": "\(jobID)", "error": "\(error)"])
            return .storeUnavailable(now.addingTimeInterval(storeRetryDelay))
        }
    }

    private func attempt(_ jobID: Int64, now: Date) async throws(StoreError) -> Outcome {
        // Before the job is even claimed: a limited relay is not asked. The
        // slot is taken at once, so jobs running side by side never exceed
        // the limit together (one not sent after all leaves its slot unused).
        let wait = limiter.reserve(now: now)
        if wait > 0 { return .retry(now.addingTimeInterval(wait)) }
        // Claimed first, so of several instances holding the job only one
        // does the work; the others learn at once that it is not theirs.
        guard let job = try await store.claim(jobID, now: now, leaseUntil: now.addingTimeInterval(lease)) else { return .notPending }
        do {
            return try await send(job, now: now)
        } catch {
            // Not sent: give it back rather than leave it claimed until the lease ends.
            try? await store.release(jobID, until: now.addingTimeInterval(storeRetryDelay), reason: .transient,
                                     note: "the store could not be read", now: now)
            throw error
        }
    }

    /// Resolves, renders, sends and records a claimed job.
    private func send(_ job: Job, now: Date) async throws(StoreError) -> Outcome {
        let jobID = job.id
        let resolved: JobResolver.Resolved
        switch try await JobResolver(store: store, config: config).resolve(job) {
        case .success(let found): resolved = found
        case .failure(let reason): return try await skip(jobID, reason.text, now: now)
        }
        if let usefulUntil = resolved.usefulUntil, now >= usefulUntil {
            return try await skip(jobID, "its event has passed", now: now)
        }
        if resolved.bouncedAddress {
            try await store.finish(jobID, JobOutcome(state: .held, reply: "an earlier email to this address bounced; "
                + "a booking file with a corrected address sends it", countsAsAttempt: false), now: now)
            logger.notice("email held: its address bounced before", metadata: ["job": "\(jobID)", "booking": "\(job.bookingReference ?? "-")"])
            return .heldAfterBounce
        }
        if let zone = resolved.quietZone {
            let morning = config.quietHours.release(now, zoneID: zone)
            if morning > now {
                if let usefulUntil = resolved.usefulUntil, morning >= usefulUntil {
                    return try await skip(jobID, "quiet hours last until after its event", now: now)
                }
                try await store.release(jobID, until: morning, reason: .quietHours, note: "held for quiet hours", now: now)
                return .held(morning)
            }
        }
        guard let (email, locale) = builder.email(job.message, about: resolved.subject, jobKey: job.key, now: now) else {
            return try await skip(jobID, "the recipient has no email address", now: now)
        }
        let metadata: Logger.Metadata = ["job": "\(jobID)", "message": "\(job.message.rawValue)", "booking": "\(job.bookingReference ?? "-")",
                                         "role": "\(job.recipient.roleName)", "message_id": "\(email.messageID)", "locale": "\(locale)"]
        let rendered = "\(locale): \(email.subject) (\(email.data.count) bytes)"
        do throws(DeliveryError) {
            var envelope = MailEnvelope(email)
            if let bounces = config.bounces { envelope.sender = bounces.address.sender(forJob: jobID) }
            let receipt = try await transport.send(envelope)
            logger.info("email sent", metadata: metadata.merging(["reply": "\(LogRedaction.addresses(in: receipt.reply))"]) { $1 })
            return await record(jobID, JobOutcome(state: .sent, code: receipt.code, reply: receipt.reply, rendered: rendered,
                                                  messageID: email.messageID), now: now)
        } catch {
            var (outcome, result) = await failed(job, error, usefulUntil: resolved.usefulUntil, rendered: rendered, now: now,
                                                 metadata: metadata)
            outcome.messageID = email.messageID
            let recorded = await record(jobID, outcome, now: now)
            if case .storeUnavailable = recorded { return recorded }
            return result
        }
    }

    /// Records an attempt's outcome; if the store will not take it, holds
    /// it and tries again later, so the message is not sent twice.
    private func record(_ jobID: Int64, _ outcome: JobOutcome, now: Date) async -> Outcome {
        do {
            try await store.finish(jobID, outcome, now: now)
            backlog.release(jobID)
        } catch {
            backlog.hold(jobID, outcome)
            logger.error("cannot record a delivery; trying again shortly", metadata: ["job": "\(jobID)", "error": "\(error)"])
            return .storeUnavailable(now.addingTimeInterval(storeRetryDelay))
        }
        switch outcome.state {
        case .sent: return .sent
        case .retry: return outcome.retryAt.map(Outcome.retry) ?? .retry(now)
        case .skipped: return .skipped(outcome.reply)
        case .dead: return .dead
        default: return .notPending
        }
    }

    private func skip(_ jobID: Int64, _ reason: String, now: Date) async throws(StoreError) -> Outcome {
        try await store.finish(jobID, JobOutcome(state: .skipped, reply: reason, countsAsAttempt: false), now: now)
        logger.info("email skipped", metadata: ["job": "\(jobID)", "reason": "\(reason)"])
        return .skipped(reason)
    }

    /// What a failed send becomes: the outcome to record and the result.
    private func failed(_ job: Job, _ error: DeliveryError, usefulUntil: Date?, rendered: String, now: Date,
                        metadata: Logger.Metadata) async -> (JobOutcome, Outcome) {
        let logged = metadata.merging(["error": "\(LogRedaction.addresses(in: error.description))"]) { $1 }
        // A staff digest that fails raises no alert of its own: that would
        // be a digest about a digest, failing the same way, without end.
        let alertsStaff = job.recipient != .staff
        switch error.class {
        case .configuration:
            if alertsStaff { await alerts.raise([StaffAlert(
                cause: "mail_configuration", reference: job.bookingReference, summary: "Email cannot be sent: the mail settings need attention",
                detail: "The relay said: \(error.message). Check the [mail] settings and credentials, then reload mdrsd "
                    + "(systemctl reload mdrsd); waiting emails are tried again at once.")], now: now) }
            let next = now.addingTimeInterval(configurationRetryDelay)
            if usefulUntil.map({ next < $0 }) ?? true {
                logger.error("email held: configuration problem", metadata: logged)
                return (JobOutcome(state: .retry, code: error.code, reply: error.message, retryAt: next, countsAsAttempt: false,
                                   rendered: rendered, waitReason: .configuration), .retry(next))
            }
        case .transient:
            var random = SystemRandomNumberGenerator()
            if let next = config.retry.nextAttempt(afterAttempts: job.attempts, now: now, usefulUntil: usefulUntil, using: &random) {
                logger.warning("email deferred", metadata: logged)
                return (JobOutcome(state: .retry, code: error.code, reply: error.message, retryAt: next, rendered: rendered,
                                   waitReason: .transient), .retry(next))
            }
        case .permanent:
            break
        }
        guard alertsStaff else {
            logger.critical("a staff alert could not be delivered; see the journal for the alerts it carried", metadata: logged)
            return (JobOutcome(state: .dead, code: error.code, reply: error.message, rendered: rendered), .dead)
        }
        logger.error("email failed for good", metadata: logged)
        let whom = job.recipient.roleName.replacingOccurrences(of: "_", with: " ")
        await alerts.raise([StaffAlert(
            cause: "dead_letter", reference: job.bookingReference, summary: "Emails could not be delivered",
            detail: "\(job.message.rawValue) to the \(whom): after \(job.attempts) attempt(s) the relay's last word was: \(error.message). "
                + "Please contact them another way, or fix the address and run `mdrsctl outbox retry \(job.id)`.")], now: now)
        return (JobOutcome(state: .dead, code: error.code, reply: error.message, rendered: rendered), .dead)
    }
}

/// One rate limiter shared by every send.
public final class SharedRateLimiter: Sendable {
    private let limiter: Mutex<RateLimiter>

    /// Shares `limiter`.
    public init(_ limiter: RateLimiter) { self.limiter = Mutex(limiter) }

    /// How long until a message may go; 0 when it may go now, and then
    /// its slot is taken.
    func reserve(now: Date) -> TimeInterval {
        limiter.withLock { limiter in
            let wait = limiter.delay(now: now)
            if wait == 0 { limiter.record(now: now) }
            return wait
        }
    }
}
