import Foundation

/// One email to send: which message, to which party of which booking
/// version, when, and how it went.
public struct Job: Sendable, Equatable, Identifiable {
    /// Where a job is in its life.
    public enum State: String, Sendable, Codable, CaseIterable {
        case pending, sending, sent, retry, dead, skipped, cancelled
    }

    public var id: Int64
    /// Unique per message, booking version and recipient; a re-plan that
    /// produces the same key leaves the job alone.
    public var dedupeKey: String
    public var bookingReference: String
    public var bookingVersion: Int
    /// The message kind's raw name, e.g. `booking_confirmation`.
    public var message: String
    public var role: String
    /// The recipient's position in the booking's `parties`.
    public var partyIndex: Int
    public var due: Date
    public var state: State
    public var attempts: Int
    public var messageID: String?
    public var lastError: String?
    /// The mediator's id, for a certificate reminder or an agenda.
    public var mediator: String?

    /// A job as stored (or, for a preview, as it would be).
    public init(id: Int64, dedupeKey: String, bookingReference: String, bookingVersion: Int, message: String, role: String,
                partyIndex: Int, due: Date, state: State, attempts: Int, messageID: String? = nil, lastError: String? = nil,
                mediator: String? = nil) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.bookingReference = bookingReference
        self.bookingVersion = bookingVersion
        self.message = message
        self.role = role
        self.partyIndex = partyIndex
        self.due = due
        self.state = state
        self.attempts = attempts
        self.messageID = messageID
        self.lastError = lastError
        self.mediator = mediator
    }
}
