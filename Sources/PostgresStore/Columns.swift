import PostgresNIO
import Store

/// The column lists rows are read by, in order.
enum Columns {
    static let jobSQL = "id, dedupe_key, booking_reference, booking_version, message, role, party_index, mediator, due_at, state, "
        + "attempts, message_id, last_error, wait_reason"
    static let callSQL = "booking_reference, mediator, with_roles, start_at, end_at"

    static func jobRow(_ row: PostgresRandomAccessRow) throws -> JobRow {
        JobRow(id: try row[0].decode(Int64.self), dedupeKey: try row[1].decode(String.self), bookingReference: try row[2].decode(String.self),
               bookingVersion: Int(try row[3].decode(Int64.self)), message: try row[4].decode(String.self), role: try row[5].decode(String.self),
               partyIndex: try row[6].decode(Int64?.self).map(Int.init), mediator: try row[7].decode(String?.self),
               dueAt: try row[8].decode(Int64.self), state: try row[9].decode(String.self), attempts: Int(try row[10].decode(Int64.self)),
               messageID: try row[11].decode(String?.self), lastError: try row[12].decode(String?.self),
               waitReason: try row[13].decode(String?.self))
    }
}
