public import Foundation

/// One email the plan wants, before the store gives it an id.
public struct PlannedMessage: Sendable, Equatable {
    /// Unique per email (see ``DedupeKey``).
    public var key: String
    /// What is sent.
    public var message: MessageKind
    /// Whom it goes to.
    public var recipient: JobRecipient
    /// When to send it.
    public var due: Date
    /// Not about one booking (the mediator's daily agenda): kept when a
    /// booking is re-planned, shared by every booking that wants it.
    public var standalone: Bool
    /// A reminder whose moment has already passed when it is planned is not
    /// added (the booking came late); one planned before stays.
    public var onlyIfFuture: Bool

    /// A planned email; by default about one booking and kept even when late.
    public init(key: String, message: MessageKind, recipient: JobRecipient, due: Date, standalone: Bool = false,
                onlyIfFuture: Bool = false) {
        self.key = key
        self.message = message
        self.recipient = recipient
        self.due = due
        self.standalone = standalone
        self.onlyIfFuture = onlyIfFuture
    }
}
