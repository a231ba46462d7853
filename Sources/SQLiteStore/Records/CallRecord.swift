import Foundation
import GRDB
import MediationDomain
import Store

/// A row of `call`: a planned, unscheduled or cancelled preparatory call.
struct CallRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "call"

    var id: Int64?
    var bookingReference: String
    var bookingVersion: Int
    var mediator: String
    var withRoles: String
    /// `planned`, `unscheduled` or `cancelled`.
    var state: String
    var startAt: Int64?
    var endAt: Int64?
    var meetingAt: Int64
    var reason: String?

    enum Columns {
        static let id = Column("id")
        static let bookingReference = Column("booking_reference")
        static let bookingVersion = Column("booking_version")
        static let mediator = Column("mediator")
        static let withRoles = Column("with_roles")
        static let state = Column("state")
        static let startAt = Column("start_at")
        static let endAt = Column("end_at")
        static let meetingAt = Column("meeting_at")
        static let reason = Column("reason")
    }

    init(row: Row) throws {
        id = row[Columns.id]
        bookingReference = row[Columns.bookingReference]
        bookingVersion = row[Columns.bookingVersion]
        mediator = row[Columns.mediator]
        withRoles = row[Columns.withRoles]
        state = row[Columns.state]
        startAt = row[Columns.startAt]
        endAt = row[Columns.endAt]
        meetingAt = row[Columns.meetingAt]
        reason = row[Columns.reason]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.bookingReference] = bookingReference
        container[Columns.bookingVersion] = bookingVersion
        container[Columns.mediator] = mediator
        container[Columns.withRoles] = withRoles
        container[Columns.state] = state
        container[Columns.startAt] = startAt
        container[Columns.endAt] = endAt
        container[Columns.meetingAt] = meetingAt
        container[Columns.reason] = reason
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(planned call: PrepCall, of booking: Booking) {
        bookingReference = booking.reference
        bookingVersion = booking.version
        mediator = call.mediator
        withRoles = Self.text(call.with)
        state = "planned"
        startAt = JobRecord.seconds(call.start)
        endAt = JobRecord.seconds(call.end)
        meetingAt = JobRecord.seconds(booking.meeting.start)
    }

    init(unscheduled call: UnscheduledCall, of booking: Booking) {
        bookingReference = booking.reference
        bookingVersion = booking.version
        mediator = booking.mediator
        withRoles = Self.text(call.with)
        state = "unscheduled"
        meetingAt = JobRecord.seconds(booking.meeting.start)
        reason = call.reason
    }

    static func text(_ roles: [Role]) -> String { StoredValue.text(roles) }

    var roles: [Role] { Self.roles(withRoles) }

    /// The roles stored as `parent,advocate`.
    static func roles(_ text: String) -> [Role] { StoredValue.roles(text) }

    func call() throws(StoreError) -> PrepCall {
        guard let startAt, let endAt else { throw StoreError(.database, "call \(id ?? 0) of \(bookingReference) has no time") }
        return PrepCall(booking: bookingReference, mediator: mediator, with: roles, start: JobRecord.date(startAt), end: JobRecord.date(endAt))
    }

    func unscheduled() -> UnscheduledCall { UnscheduledCall(booking: bookingReference, with: roles, reason: reason ?? "") }
}
