import Foundation
import GRDB
import MediationDomain

extension Store {
    /// Planned calls starting in `from..<to`, optionally for one mediator, by time.
    public func calls(from: Date, to: Date, mediator: String? = nil) throws(StoreError) -> [PrepCall] {
        try read { db in
            var sql = "SELECT * FROM call WHERE state = 'planned' AND start_at >= ? AND start_at < ?"
            var arguments: StatementArguments = [Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)]
            if let mediator { sql += " AND mediator = ?"; arguments += [mediator] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY start_at, id", arguments: arguments).map(Self.call)
        }
    }

    /// Calls no slot was found for, of meetings starting in `from..<to`.
    public func unscheduledCalls(meetingsFrom from: Date, to: Date, mediator: String? = nil) throws(StoreError) -> [UnscheduledCall] {
        try read { db in
            var sql = "SELECT * FROM call WHERE state = 'unscheduled' AND meeting_at >= ? AND meeting_at < ?"
            var arguments: StatementArguments = [Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)]
            if let mediator { sql += " AND mediator = ?"; arguments += [mediator] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY meeting_at, id", arguments: arguments).map {
                UnscheduledCall(booking: $0["booking_reference"], with: Self.roles($0["with_roles"]), reason: $0["reason"] ?? "")
            }
        }
    }

    /// The planned calls of one booking (of all, without a reference), by time.
    public func calls(booking: String) throws(StoreError) -> [PrepCall] {
        try read { db in try Self.plannedCalls(db, booking: booking) }
    }

    /// The calls cancelled with a cancelled booking, by time.
    public func cancelledCalls(booking: String) throws(StoreError) -> [PrepCall] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM call WHERE state = 'cancelled' AND booking_reference = ? ORDER BY start_at, id",
                             arguments: [booking]).map(Self.call)
        }
    }

    /// Whether a party was sent the notice of a call of this booking.
    public func wasToldOfCall(booking: String, partyIndex: Int) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: """
                SELECT 1 FROM job WHERE booking_reference = ? AND party_index = ? AND message = 'prep_call_scheduled' AND state = 'sent'
                """, arguments: [booking, partyIndex]) ?? false
        }
    }

    static func plannedCalls(_ db: Database, booking: String? = nil) throws -> [PrepCall] {
        guard let booking else {
            return try Row.fetchAll(db, sql: "SELECT * FROM call WHERE state = 'planned' ORDER BY start_at, id").map(call)
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM call WHERE state = 'planned' AND booking_reference = ? ORDER BY start_at, id",
                                arguments: [booking]).map(call)
    }

    static func insert(_ plan: CallPlan, for booking: Booking, _ db: Database) throws {
        let meeting = Int64(booking.meeting.start.timeIntervalSince1970)
        for call in plan.calls {
            try db.execute(sql: """
                INSERT INTO call (booking_reference, booking_version, mediator, with_roles, state, start_at, end_at, meeting_at)
                VALUES (?, ?, ?, ?, 'planned', ?, ?, ?)
                """, arguments: [booking.reference, booking.version, call.mediator, call.with.map(\.rawValue).joined(separator: ","),
                                 Int64(call.start.timeIntervalSince1970), Int64(call.end.timeIntervalSince1970), meeting])
        }
        for missing in plan.unscheduled {
            try db.execute(sql: """
                INSERT INTO call (booking_reference, booking_version, mediator, with_roles, state, meeting_at, reason)
                VALUES (?, ?, ?, ?, 'unscheduled', ?, ?)
                """, arguments: [booking.reference, booking.version, booking.mediator,
                                 missing.with.map(\.rawValue).joined(separator: ","), meeting, missing.reason])
        }
    }

    static func call(_ row: Row) -> PrepCall {
        PrepCall(booking: row["booking_reference"], mediator: row["mediator"], with: roles(row["with_roles"]),
                 start: Date(timeIntervalSince1970: TimeInterval(row["start_at"] as Int64)),
                 end: Date(timeIntervalSince1970: TimeInterval(row["end_at"] as Int64)))
    }

    static func roles(_ text: String) -> [Role] { text.split(separator: ",").compactMap { Role(rawValue: String($0)) } }
}
