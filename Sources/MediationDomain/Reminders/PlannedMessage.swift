import Foundation

/// One email the plan wants, before the store gives it an id.
public struct PlannedMessage: Sendable, Equatable {
    /// Unique per email; planning again yields the same key, so an email
    /// already sent is never planned twice.
    public var key: String
    /// What is sent.
    public var message: MessageKind
    /// The recipient's role, or `mediator`.
    public var role: String
    /// The recipient's position in the booking's parties; -1 for the mediator.
    public var partyIndex: Int
    /// When to send it.
    public var due: Date
    /// The mediator's id, for messages addressed to them.
    public var mediator: String?
    /// Not about one booking (the mediator's daily agenda): kept when a
    /// booking is re-planned.
    public var standalone: Bool
    /// A reminder whose moment has already passed when it is planned is not
    /// added (the booking came late); one planned before stays.
    public var onlyIfFuture: Bool

    /// A planned email; by default about one booking and kept even when late.
    public init(key: String, message: MessageKind, role: String, partyIndex: Int, due: Date, mediator: String? = nil,
                standalone: Bool = false, onlyIfFuture: Bool = false) {
        self.key = key
        self.message = message
        self.role = role
        self.partyIndex = partyIndex
        self.due = due
        self.mediator = mediator
        self.standalone = standalone
        self.onlyIfFuture = onlyIfFuture
    }
}
