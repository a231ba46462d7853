public import Foundation
public import MediationDomain

/// One email to send: which message, to whom, about which booking version,
/// when, and how it went.
public struct Job: Sendable, Equatable, Identifiable {
    public var id: Int64
    /// Unique per email (``DedupeKey``); the Message-ID is derived from it.
    public var key: String
    /// The booking it is about; `nil` for agendas and staff alerts.
    public var bookingReference: String?
    /// The booking version it was planned for.
    public var bookingVersion: Int
    public var message: MessageKind
    public var recipient: JobRecipient
    public var due: Date
    public var state: JobState
    /// Attempts that counted against the retry policy.
    public var attempts: Int
    public var messageID: String?
    /// The last failure, or why it was skipped or postponed.
    public var lastError: String?
    /// Why a waiting job waits, when it is not simply its time.
    public var waitReason: WaitReason?

    /// A job as stored (or, for a preview, as it would be).
    public init(id: Int64, key: String, bookingReference: String?, bookingVersion: Int, message: MessageKind,
                recipient: JobRecipient, due: Date, state: JobState, attempts: Int = 0, messageID: String? = nil,
                lastError: String? = nil, waitReason: WaitReason? = nil) {
        self.id = id
        self.key = key
        self.bookingReference = bookingReference
        self.bookingVersion = bookingVersion
        self.message = message
        self.recipient = recipient
        self.due = due
        self.state = state
        self.attempts = attempts
        self.messageID = messageID
        self.lastError = lastError
        self.waitReason = waitReason
    }
}

/// Why a waiting job is not sent at its planned time.
public enum WaitReason: String, Sendable, Codable, CaseIterable {
    /// The mail settings were refused; it waits for an administrator (a
    /// reload that changes them tries it again at once).
    case configuration
    /// A transient failure; it is retried with backoff.
    case transient
    /// Family email held until quiet hours end.
    case quietHours = "quiet_hours"
}

/// A job's id and due time: what the scheduler's wheel holds.
public struct ScheduledJob: Sendable, Equatable {
    public var id: Int64
    public var due: Date

    /// The job `id`, due at `due`.
    public init(id: Int64, due: Date) {
        self.id = id
        self.due = due
    }
}

/// How one attempt at a job ended, as the dispatcher reports it.
public struct JobOutcome: Sendable, Equatable {
    /// `sent`, `retry`, `dead`, `skipped` or `cancelled`.
    public var state: JobState
    /// The relay's reply code, when there was one.
    public var code: Int?
    /// The relay's words, or why it was skipped.
    public var reply: String
    /// The next attempt's time, with `retry`.
    public var retryAt: Date?
    /// `false` when the failure was ours (configuration), so waiting for an
    /// administrator does not use up the retries.
    public var countsAsAttempt: Bool
    /// What was handed to the relay (locale, subject, size), for the log.
    public var rendered: String?
    /// Why a retry waits.
    public var waitReason: WaitReason?
    /// The Message-ID of what was handed to the relay, when something was.
    public var messageID: String?

    /// An outcome; by default an attempt that counts.
    public init(state: JobState, code: Int? = nil, reply: String, retryAt: Date? = nil, countsAsAttempt: Bool = true,
                rendered: String? = nil, waitReason: WaitReason? = nil, messageID: String? = nil) {
        self.state = state
        self.code = code
        self.reply = reply
        self.retryAt = retryAt
        self.countsAsAttempt = countsAsAttempt
        self.rendered = rendered
        self.waitReason = waitReason
        self.messageID = messageID
    }
}
