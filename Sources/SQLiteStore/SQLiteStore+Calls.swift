public import Foundation
import GRDB
public import MediationDomain
public import Store

extension SQLiteStore {
    public func calls(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [PrepCall] {
        try await read("calls") { db in try Self.plannedCalls(db, mediator: mediator, from: from, to: to, excluding: nil) }
    }

    public func calls(booking reference: String) async throws(StoreError) -> [PrepCall] {
        try await read("calls of a booking") { db in try Self.calls(db, booking: reference, state: "planned") }
    }

    public func cancelledCalls(booking reference: String) async throws(StoreError) -> [PrepCall] {
        try await read("cancelled calls") { db in try Self.calls(db, booking: reference, state: "cancelled") }
    }

    public func unscheduledCalls(meetingsFrom from: Date, to: Date, mediator: String?) async throws(StoreError) -> [UnscheduledCall] {
        try await read("unscheduled calls") { db in
            var request = CallRecord.filter(CallRecord.Columns.state == "unscheduled"
                && CallRecord.Columns.meetingAt >= JobRecord.seconds(from) && CallRecord.Columns.meetingAt < JobRecord.seconds(to))
            if let mediator { request = request.filter(CallRecord.Columns.mediator == mediator) }
            return try request.order(CallRecord.Columns.meetingAt, Column("id")).fetchAll(db).map { $0.unscheduled() }
        }
    }

    public func wasToldOfCall(booking reference: String, partyIndex: Int) async throws(StoreError) -> Bool {
        try await read("call notices") { db in
            try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT 1 FROM job WHERE booking_reference = ? AND party_index = ? AND message = 'prep_call_scheduled' AND state = 'sent' LIMIT 1
                """), arguments: [reference, partyIndex]) ?? false
        }
    }

    static func calls(_ db: Database, booking reference: String, state: String) throws -> [PrepCall] {
        try CallRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM call WHERE booking_reference = ? AND state = ? ORDER BY start_at, id"),
                                arguments: [reference, state]).map { try $0.call() }
    }

    /// One mediator's (or every mediator's) planned calls in a span, by the
    /// (mediator, start) index.
    static func plannedCalls(_ db: Database, mediator: String?, from: Date, to: Date, excluding reference: String?) throws -> [PrepCall] {
        var request = CallRecord.filter(CallRecord.Columns.state == "planned"
            && CallRecord.Columns.startAt >= JobRecord.seconds(from) && CallRecord.Columns.startAt < JobRecord.seconds(to))
        if let mediator { request = request.filter(CallRecord.Columns.mediator == mediator) }
        if let reference { request = request.filter(CallRecord.Columns.bookingReference != reference) }
        return try request.order(CallRecord.Columns.startAt, Column("id")).fetchAll(db).map { try $0.call() }
    }
}
