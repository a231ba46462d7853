public import Foundation
public import MediationDomain
import PostgresNIO
public import Store

extension PostgresStore {
    public func booking(_ reference: String) async throws(StoreError) -> Booking? {
        try await read("booking") { session in try await booking(session, reference) }
    }

    public func bookingWithCalls(_ reference: String) async throws(StoreError) -> (booking: Booking, calls: [PrepCall])? {
        try await read("booking and its calls") { session in
            guard let booking = try await booking(session, reference) else { return nil }
            return (booking, try await Self.calls(session, booking: reference, state: "planned"))
        }
    }

    /// The stored booking, decoded only when the cache lacks its version.
    private func booking(_ session: Session, _ reference: String) async throws -> Booking? {
        try await session.row("SELECT version, updated_at, purged_at, body FROM booking WHERE reference = \(reference)") { row in
            let body = try row[3].decode(String.self)
            let stamp = BookingCache.Stamp(version: try row[0].decode(Int64.self), storedAt: try row[1].decode(Int64.self),
                                           erasedAt: try row[2].decode(Int64?.self))
            return try bookings.booking(reference, stamp: stamp) { () throws(StoreError) in try StoredValue.booking(body, reference: reference) }
        }
    }

    public func announcedVersion(of reference: String, partyIndex: Int, before version: Int) async throws(StoreError) -> Booking? {
        try await read("announced version") { session in
            guard let body = try await session.value("""
                SELECT body FROM booking_version WHERE reference = \(reference) AND version = (
                    SELECT MAX(booking_version) FROM job WHERE booking_reference = \(reference) AND party_index = \(Int64(partyIndex))
                    AND state = 'sent' AND message IN ('booking_confirmation', 'booking_changed') AND booking_version < \(Int64(version)))
                """, String.self) else { return nil }
            return try StoredValue.booking(body, reference: reference)
        }
    }

    public func bookingCount() async throws(StoreError) -> Int {
        try await read("count bookings") { session in Int(try await session.value("SELECT COUNT(*) FROM booking", Int64.self) ?? 0) }
    }

    public func bookings(meetingFrom from: Date?, to: Date?, after cursor: BookingCursor?, limit: Int)
    async throws(StoreError) -> [Booking] {
        var filter = Filter()
        if let from { filter.add("meeting_start >= ?", StoredValue.seconds(from)) }
        if let to { filter.add("meeting_start < ?", StoredValue.seconds(to)) }
        if let cursor { filter.add("(meeting_start, reference) > (?, ?)", StoredValue.seconds(cursor.meetingStart), cursor.reference) }
        let statement = filter.query("SELECT reference, body FROM booking", then: "ORDER BY meeting_start, reference LIMIT \(limit)")
        return try await read("list bookings") { session in try await session.bookings(statement) }
    }

    public func meetings(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [Booking] {
        var filter = Filter()
        filter.add("status = 'booked' AND meeting_start >= ? AND meeting_start < ?", StoredValue.seconds(from), StoredValue.seconds(to))
        if let mediator { filter.add("mediator = ?", mediator) }
        let statement = filter.query("SELECT reference, body FROM booking", then: "ORDER BY meeting_start, reference")
        return try await read("meetings") { session in try await session.bookings(statement) }
    }

    public func calls(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [PrepCall] {
        var filter = Filter()
        filter.add("state = 'planned' AND start_at >= ? AND start_at < ?", StoredValue.seconds(from), StoredValue.seconds(to))
        if let mediator { filter.add("mediator = ?", mediator) }
        let statement = filter.query("SELECT \(Columns.callSQL) FROM call", then: "ORDER BY start_at, id")
        return try await read("calls") { session in try await session.calls(statement) }
    }

    public func calls(booking reference: String) async throws(StoreError) -> [PrepCall] {
        try await read("calls of a booking") { session in try await Self.calls(session, booking: reference, state: "planned") }
    }

    public func cancelledCalls(booking reference: String) async throws(StoreError) -> [PrepCall] {
        try await read("cancelled calls") { session in try await Self.calls(session, booking: reference, state: "cancelled") }
    }

    static func calls(_ session: Session, booking reference: String, state: String) async throws -> [PrepCall] {
        try await session.calls("""
            SELECT \(unescaped: Columns.callSQL) FROM call WHERE booking_reference = \(reference) AND state = \(state) ORDER BY start_at, id
            """)
    }

    public func unscheduledCalls(meetingsFrom from: Date, to: Date, mediator: String?) async throws(StoreError) -> [UnscheduledCall] {
        var filter = Filter()
        filter.add("state = 'unscheduled' AND meeting_at >= ? AND meeting_at < ?", StoredValue.seconds(from), StoredValue.seconds(to))
        if let mediator { filter.add("mediator = ?", mediator) }
        let statement = filter.query("SELECT booking_reference, with_roles, reason FROM call", then: "ORDER BY meeting_at, id")
        return try await read("unscheduled calls") { session in
            try await session.rows(statement) {
                UnscheduledCall(booking: try $0[0].decode(String.self), with: StoredValue.roles(try $0[1].decode(String.self)),
                                reason: try $0[2].decode(String?.self) ?? "")
            }
        }
    }

    public func wasToldOfCall(booking reference: String, partyIndex: Int) async throws(StoreError) -> Bool {
        try await read("call notices") { session in
            try await session.value("""
                SELECT EXISTS (SELECT 1 FROM job WHERE booking_reference = \(reference) AND party_index = \(Int64(partyIndex))
                               AND message = 'prep_call_scheduled' AND state = 'sent')
                """, Bool.self) ?? false
        }
    }
}
