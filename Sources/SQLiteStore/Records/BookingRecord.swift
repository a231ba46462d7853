import Foundation
import GRDB
import MediationDomain
import Store

/// A row of `booking`: the latest version of one booking, its body as JSON
/// and the columns queries filter on.
struct BookingRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "booking"

    var reference: String
    var version: Int
    var status: String
    var mediator: String
    var meetingStart: Int64
    var meetingEnd: Int64
    var body: String
    var updatedAt: Int64

    enum Columns {
        static let reference = Column("reference")
        static let version = Column("version")
        static let status = Column("status")
        static let mediator = Column("mediator")
        static let meetingStart = Column("meeting_start")
        static let meetingEnd = Column("meeting_end")
        static let body = Column("body")
        static let updatedAt = Column("updated_at")
    }

    init(row: Row) throws {
        reference = row[Columns.reference]
        version = row[Columns.version]
        status = row[Columns.status]
        mediator = row[Columns.mediator]
        meetingStart = row[Columns.meetingStart]
        meetingEnd = row[Columns.meetingEnd]
        body = row[Columns.body]
        updatedAt = row[Columns.updatedAt]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.reference] = reference
        container[Columns.version] = version
        container[Columns.status] = status
        container[Columns.mediator] = mediator
        container[Columns.meetingStart] = meetingStart
        container[Columns.meetingEnd] = meetingEnd
        container[Columns.body] = body
        container[Columns.updatedAt] = updatedAt
    }

    init(_ booking: Booking, body: String, now: Date) {
        reference = booking.reference
        version = booking.version
        status = booking.status.rawValue
        mediator = booking.mediator
        meetingStart = Int64(booking.meeting.start.timeIntervalSince1970)
        meetingEnd = Int64(booking.meeting.end.timeIntervalSince1970)
        self.body = body
        updatedAt = Int64(now.timeIntervalSince1970)
    }

    func booking() throws(StoreError) -> Booking { try StoredValue.booking(body, reference: reference) }
}
