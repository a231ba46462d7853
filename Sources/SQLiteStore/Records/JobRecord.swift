import Foundation
import GRDB
import MediationDomain
import Store

/// A row of `job`. The recipient is three columns (role name, party
/// index, mediator id); CHECK constraints keep them, the state and the
/// message to the values mdrsd knows.
struct JobRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "job"

    var id: Int64?
    var dedupeKey: String
    /// `''` for a job about no booking.
    var bookingReference: String
    var bookingVersion: Int
    var message: String
    var role: String
    var partyIndex: Int?
    var mediator: String?
    var dueAt: Int64
    var state: String
    var attempts: Int
    var messageId: String?
    var lastError: String?
    var updatedAt: Int64
    var waitReason: String?
    var alertCause: String?
    var leaseUntil: Int64?

    enum Columns {
        static let id = Column("id")
        static let dedupeKey = Column("dedupe_key")
        static let bookingReference = Column("booking_reference")
        static let bookingVersion = Column("booking_version")
        static let message = Column("message")
        static let role = Column("role")
        static let partyIndex = Column("party_index")
        static let mediator = Column("mediator")
        static let dueAt = Column("due_at")
        static let state = Column("state")
        static let attempts = Column("attempts")
        static let messageID = Column("message_id")
        static let lastError = Column("last_error")
        static let updatedAt = Column("updated_at")
        static let waitReason = Column("wait_reason")
        static let alertCause = Column("alert_cause")
        static let leaseUntil = Column("lease_until")
    }

    // By hand rather than Codable: these run for every job of every booking.
    init(row: Row) throws {
        id = row[Columns.id]
        dedupeKey = row[Columns.dedupeKey]
        bookingReference = row[Columns.bookingReference]
        bookingVersion = row[Columns.bookingVersion]
        message = row[Columns.message]
        role = row[Columns.role]
        partyIndex = row[Columns.partyIndex]
        mediator = row[Columns.mediator]
        dueAt = row[Columns.dueAt]
        state = row[Columns.state]
        attempts = row[Columns.attempts]
        messageId = row[Columns.messageID]
        lastError = row[Columns.lastError]
        updatedAt = row[Columns.updatedAt]
        waitReason = row[Columns.waitReason]
        alertCause = row[Columns.alertCause]
        leaseUntil = row[Columns.leaseUntil]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.dedupeKey] = dedupeKey
        container[Columns.bookingReference] = bookingReference
        container[Columns.bookingVersion] = bookingVersion
        container[Columns.message] = message
        container[Columns.role] = role
        container[Columns.partyIndex] = partyIndex
        container[Columns.mediator] = mediator
        container[Columns.dueAt] = dueAt
        container[Columns.state] = state
        container[Columns.attempts] = attempts
        container[Columns.messageID] = messageId
        container[Columns.lastError] = lastError
        container[Columns.updatedAt] = updatedAt
        container[Columns.waitReason] = waitReason
        container[Columns.alertCause] = alertCause
        container[Columns.leaseUntil] = leaseUntil
    }

    /// The "still to send" states, as SQL.
    static let waitingSQL = JobRow.waitingSQL

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// A new job for a planned message of `booking` (or of none).
    init(_ planned: PlannedMessage, booking: Booking?, now: Date) {
        dedupeKey = planned.key
        bookingReference = planned.standalone ? "" : booking?.reference ?? ""
        bookingVersion = planned.standalone ? 0 : booking?.version ?? 0
        message = planned.message.rawValue
        role = planned.recipient.roleName
        partyIndex = planned.recipient.partyIndex
        mediator = planned.recipient.mediatorID
        dueAt = Self.seconds(planned.due)
        state = JobState.pending.rawValue
        attempts = 0
        updatedAt = Self.seconds(now)
    }

    static func seconds(_ date: Date) -> Int64 { StoredValue.seconds(date) }
    static func date(_ seconds: Int64) -> Date { StoredValue.date(seconds) }

    /// The typed job; a value mdrsd does not know is an error, never a guess.
    func job() throws(StoreError) -> Job {
        guard let id else { throw StoreError(.database, "a job without an id") }
        return try JobRow(id: id, dedupeKey: dedupeKey, bookingReference: bookingReference, bookingVersion: bookingVersion, message: message,
                          role: role, partyIndex: partyIndex, mediator: mediator, dueAt: dueAt, state: state, attempts: attempts,
                          messageID: messageId, lastError: lastError, waitReason: waitReason).job()
    }

    /// What the plan diff needs of it.
    func stored() throws(StoreError) -> StoredJob {
        let job = try job()
        return StoredJob(id: job.id, key: job.key, message: job.message, recipient: job.recipient, state: job.state, due: job.due,
                         bookingVersion: job.bookingVersion)
    }
}
