public import Foundation
public import MediationDomain

/// A job as a backend reads it: the columns as stored (text for the typed
/// values, epoch seconds for times). ``job()`` types it, refusing any value
/// mdrsd does not know rather than guessing, the same for every backend.
public struct JobRow: Sendable {
    public var id: Int64
    public var dedupeKey: String
    /// `''` for a job about no booking.
    public var bookingReference: String
    public var bookingVersion: Int
    public var message: String
    public var role: String
    public var partyIndex: Int?
    public var mediator: String?
    public var dueAt: Int64
    public var state: String
    public var attempts: Int
    public var messageID: String?
    public var lastError: String?
    public var waitReason: String?

    /// A row as read.
    public init(id: Int64, dedupeKey: String, bookingReference: String, bookingVersion: Int, message: String, role: String,
                partyIndex: Int?, mediator: String?, dueAt: Int64, state: String, attempts: Int, messageID: String?,
                lastError: String?, waitReason: String?) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.bookingReference = bookingReference
        self.bookingVersion = bookingVersion
        self.message = message
        self.role = role
        self.partyIndex = partyIndex
        self.mediator = mediator
        self.dueAt = dueAt
        self.state = state
        self.attempts = attempts
        self.messageID = messageID
        self.lastError = lastError
        self.waitReason = waitReason
    }

    /// The "still to send" states, as an SQL list, from ``JobState/waiting``.
    public static let waitingSQL = "state IN (\(JobState.waiting.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")))"

    /// The typed job; a value mdrsd does not know is an error.
    public func job() throws(StoreError) -> Job {
        guard let message = MessageKind(rawValue: message) else {
            throw StoreError(.database, "job \(id) has an unknown message '\(self.message)'")
        }
        guard let state = JobState(rawValue: state) else { throw StoreError(.database, "job \(id) has an unknown state '\(self.state)'") }
        guard let recipient = JobRecipient(roleName: role, partyIndex: partyIndex, mediator: mediator) else {
            throw StoreError(.database, "job \(id) has an unknown recipient '\(role)'")
        }
        let reason = try waitReason.map { text throws(StoreError) -> WaitReason in
            guard let reason = WaitReason(rawValue: text) else { throw StoreError(.database, "job \(id) has an unknown wait reason '\(text)'") }
            return reason
        }
        return Job(id: id, key: dedupeKey, bookingReference: bookingReference.isEmpty ? nil : bookingReference, bookingVersion: bookingVersion,
                   message: message, recipient: recipient, due: Date(timeIntervalSince1970: TimeInterval(dueAt)), state: state,
                   attempts: attempts, messageID: messageID, lastError: lastError, waitReason: reason)
    }

    /// What the plan diff needs of it.
    public func stored() throws(StoreError) -> StoredJob {
        let job = try job()
        return StoredJob(id: job.id, key: job.key, message: job.message, recipient: job.recipient, state: job.state, due: job.due,
                         bookingVersion: job.bookingVersion)
    }
}

/// How the store writes values of the domain as text and instants as
/// seconds, alike in every backend.
public enum StoredValue {
    /// An instant as whole seconds since 1970, rounded down.
    public static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    /// The instant of `seconds` since 1970.
    public static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }
    /// A call's roles as stored: `parent,advocate`.
    public static func text(_ roles: [Role]) -> String { roles.map(\.rawValue).joined(separator: ",") }
    /// The roles stored as `parent,advocate`.
    public static func roles(_ text: String) -> [Role] { text.split(separator: ",").compactMap { Role(rawValue: String($0)) } }

    /// A stored booking body, or an error naming the booking.
    public static func booking(_ body: String, reference: String) throws(StoreError) -> Booking {
        do {
            return try BookingBody.decode(body)
        } catch {
            throw StoreError(.database, "booking \(reference) in the database cannot be read: \(error)", reference: reference, cause: error)
        }
    }
}
