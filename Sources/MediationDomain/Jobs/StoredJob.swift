public import Foundation

/// A job of one booking as stored, as much as the plan diff needs.
public struct StoredJob: Sendable, Equatable {
    public var id: Int64
    public var key: String
    public var message: MessageKind
    public var recipient: JobRecipient
    public var state: JobState
    public var due: Date
    public var bookingVersion: Int

    /// A stored job's identity, state and timing.
    public init(id: Int64, key: String, message: MessageKind, recipient: JobRecipient, state: JobState, due: Date,
                bookingVersion: Int) {
        self.id = id
        self.key = key
        self.message = message
        self.recipient = recipient
        self.state = state
        self.due = due
        self.bookingVersion = bookingVersion
    }
}
