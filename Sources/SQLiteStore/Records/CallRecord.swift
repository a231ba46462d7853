import Foundation
import GRDB
import MediationDomain
import Store

/// A row of `call`: a planned, unscheduled or cancelled preparatory call.
struct CallRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "call"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

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
        static let bookingReference = Column("booking_reference")
        static let mediator = Column("mediator")
        static let state = Column("state")
        static let startAt = Column("start_at")
        static let meetingAt = Column("meeting_at")
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

    static func text(_ roles: [Role]) -> String { roles.map(\.rawValue).joined(separator: ",") }

    var roles: [Role] { withRoles.split(separator: ",").compactMap { Role(rawValue: String($0)) } }

    func call() throws(StoreError) -> PrepCall {
        guard let startAt, let endAt else { throw StoreError(.database, "call \(id ?? 0) of \(bookingReference) has no time") }
        return PrepCall(booking: bookingReference, mediator: mediator, with: roles, start: JobRecord.date(startAt), end: JobRecord.date(endAt))
    }

    func unscheduled() -> UnscheduledCall { UnscheduledCall(booking: bookingReference, with: roles, reason: reason ?? "") }
}
