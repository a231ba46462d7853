public import Foundation
import GRDB
public import MediationDomain
public import Store

extension SQLiteStore {
    public func booking(_ reference: String) async throws(StoreError) -> Booking? {
        let cache = bookings
        return try await read("booking") { db in try Self.booking(db, reference, cache: cache) }
    }

    public func bookingWithCalls(_ reference: String) async throws(StoreError) -> (booking: Booking, calls: [PrepCall])? {
        let cache = bookings
        return try await read("booking and its calls") { db in
            guard let booking = try Self.booking(db, reference, cache: cache) else { return nil }
            return (booking, try Self.calls(db, booking: reference, state: "planned"))
        }
    }

    /// The stored booking, decoded only when the cache lacks its version.
    static func booking(_ db: Database, _ reference: String, cache: BookingCache) throws -> Booking? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT version, updated_at, purged_at, body FROM booking WHERE reference = ?
            """), arguments: [reference]) else { return nil }
        return try cache.booking(reference, stamp: BookingCache.Stamp(version: row[0], storedAt: row[1], erasedAt: row[2])) {
            () throws(StoreError) in try StoredValue.booking(row[3], reference: reference)
        }
    }

    public func announcedVersion(of reference: String, partyIndex: Int, before version: Int) async throws(StoreError) -> Booking? {
        try await read("announced version") { db in
            guard let told = try Int.fetchOne(db.cachedStatement(sql: """
                SELECT MAX(booking_version) FROM job WHERE booking_reference = ? AND party_index = ? AND state = 'sent'
                AND message IN ('booking_confirmation', 'booking_changed') AND booking_version < ?
                """), arguments: [reference, partyIndex, version]) else { return nil }
            guard let body = try String.fetchOne(db.cachedStatement(sql: """
                SELECT body FROM booking_version WHERE reference = ? AND version = ?
                """), arguments: [reference, told]) else { return nil }
            return try BookingBody.decode(body)
        }
    }

    public func bookingCount() async throws(StoreError) -> Int {
        try await read("count bookings") { db in try BookingRecord.fetchCount(db) }
    }

    public func bookings(meetingFrom from: Date?, to: Date?, after cursor: BookingCursor?, limit: Int)
    async throws(StoreError) -> [Booking] {
        try await read("list bookings") { db in
            var request = BookingRecord.all()
            if let from { request = request.filter(BookingRecord.Columns.meetingStart >= JobRecord.seconds(from)) }
            if let to { request = request.filter(BookingRecord.Columns.meetingStart < JobRecord.seconds(to)) }
            if let cursor {
                let start = JobRecord.seconds(cursor.meetingStart)
                request = request.filter(BookingRecord.Columns.meetingStart > start
                    || (BookingRecord.Columns.meetingStart == start && BookingRecord.Columns.reference > cursor.reference))
            }
            return try request.order(BookingRecord.Columns.meetingStart, BookingRecord.Columns.reference).limit(limit)
                .fetchAll(db).map { try $0.booking() }
        }
    }

    public func meetings(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [Booking] {
        try await read("meetings") { db in
            var request = BookingRecord.filter(BookingRecord.Columns.status == Booking.Status.booked.rawValue
                && BookingRecord.Columns.meetingStart >= JobRecord.seconds(from) && BookingRecord.Columns.meetingStart < JobRecord.seconds(to))
            if let mediator { request = request.filter(BookingRecord.Columns.mediator == mediator) }
            return try request.order(BookingRecord.Columns.meetingStart, BookingRecord.Columns.reference).fetchAll(db).map { try $0.booking() }
        }
    }
}
