public import Foundation

/// How long personal data is kept, and an audit trail of what
/// administrators did: what a data-protection officer asks of a store.
public protocol RecordKeeping: Sendable {
    /// Erases the personal data of every booking past `cutoffs` (see
    /// ``RetentionCutoffs``) and clears rendered copies older than
    /// theirs; with `dryRun`, only says what it would erase.
    func purge(_ cutoffs: RetentionCutoffs, now: Date, dryRun: Bool) async throws(StoreError) -> PurgeReport

    /// Erases one booking's personal data now, cancelling what it still
    /// has pending; `false` when there is no such booking.
    func erase(_ reference: String, now: Date) async throws(StoreError) -> Bool

    /// Everything held about one booking, for a subject access request.
    func export(_ reference: String) async throws(StoreError) -> BookingRecordExport?

    /// Appends an administrative act to the audit trail.
    func audit(_ entry: AuditEntry) async throws(StoreError)

    /// Up to `limit` entries of the audit trail from `from`, oldest first.
    func auditTrail(from: Date?, limit: Int) async throws(StoreError) -> [AuditEntry]
}

/// Where retention ends, as instants: a booking's personal data goes once
/// its meeting ended (or it was cancelled) before `personalData`; the
/// delivery log's rendered copies (locale, subject, size) once older than
/// `renderedCopies`. `nil` keeps them.
public struct RetentionCutoffs: Sendable, Equatable {
    public var personalData: Date?
    public var renderedCopies: Date?

    public init(personalData: Date?, renderedCopies: Date?) {
        self.personalData = personalData
        self.renderedCopies = renderedCopies
    }
}

/// What a purge erased, or would erase.
public struct PurgeReport: Sendable, Equatable {
    /// The bookings whose personal data went.
    public var bookings: [String]
    /// Rendered copies cleared from the delivery log.
    public var renderedCopies: Int

    public init(bookings: [String], renderedCopies: Int) {
        self.bookings = bookings
        self.renderedCopies = renderedCopies
    }
}

/// One administrative act: when, who, what, and what it touched (a booking
/// reference, a job id, a count), never personal data.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    /// The invoking user (`SUDO_USER` when run through sudo), or `mdrsd`.
    public var actor: String
    /// `import`, `cancel`, `retry`, `export`, `erase`, `purge`, `reload`.
    public var action: String
    public var target: String

    public init(at: Date, actor: String, action: String, target: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
    }
}

/// Everything held about a booking, as stored: each version's body (JSON),
/// the calls, and each job with its delivery attempts.
public struct BookingRecordExport: Sendable {
    public struct Version: Sendable {
        public var version: Int
        public var storedAt: Date
        public var body: String
        public init(version: Int, storedAt: Date, body: String) {
            self.version = version
            self.storedAt = storedAt
            self.body = body
        }
    }
    public struct Call: Sendable {
        public var with: [String]
        public var state: String
        public var start, end: Date?
        public init(with: [String], state: String, start: Date?, end: Date?) {
            self.with = with
            self.state = state
            self.start = start
            self.end = end
        }
    }
    public struct Delivery: Sendable {
        public var at: Date
        public var outcome: String
        public var code: Int?
        public var reply: String
        public var rendered: String?
        public init(at: Date, outcome: String, code: Int?, reply: String, rendered: String?) {
            self.at = at
            self.outcome = outcome
            self.code = code
            self.reply = reply
            self.rendered = rendered
        }
    }
    public struct Email: Sendable {
        public var id: Int64
        public var message, recipient, state: String
        public var due: Date
        public var messageID: String?
        public var deliveries: [Delivery]
        public init(id: Int64, message: String, recipient: String, state: String, due: Date, messageID: String?, deliveries: [Delivery]) {
            self.id = id
            self.message = message
            self.recipient = recipient
            self.state = state
            self.due = due
            self.messageID = messageID
            self.deliveries = deliveries
        }
    }

    public var reference: String
    public var versions: [Version]
    public var calls: [Call]
    public var emails: [Email]

    public init(reference: String, versions: [Version], calls: [Call], emails: [Email]) {
        self.reference = reference
        self.versions = versions
        self.calls = calls
        self.emails = emails
    }
}
