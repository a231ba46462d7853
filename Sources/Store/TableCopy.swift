/// The tables every backend keeps, with the columns they share, in an
/// order that copies each row after the rows it refers to.
public enum StoredTable: String, Sendable, CaseIterable {
    case booking, bookingVersion = "booking_version", job, delivery, call, staffAlert = "staff_alert", audit
    case bounceNotice = "bounce_notice", bouncedAddress = "bounced_address"

    /// The columns both backends have, in order.
    public var columns: [String] {
        switch self {
        case .booking: ["reference", "version", "status", "mediator", "meeting_start", "meeting_end", "body", "updated_at", "purged_at"]
        case .bookingVersion: ["reference", "version", "body", "stored_at"]
        case .job: ["id", "dedupe_key", "booking_reference", "booking_version", "message", "role", "party_index", "mediator", "due_at",
                    "state", "attempts", "message_id", "last_error", "updated_at", "wait_reason", "alert_cause", "lease_until"]
        case .delivery: ["id", "job_id", "at", "message_id", "outcome", "code", "reply", "rendered"]
        case .call: ["id", "booking_reference", "booking_version", "mediator", "with_roles", "state", "start_at", "end_at", "meeting_at",
                     "reason"]
        case .staffAlert: ["id", "cause", "reference", "summary", "detail", "raised_at", "job_id"]
        case .audit: ["id", "at", "actor", "action", "target"]
        case .bounceNotice: ["fingerprint", "at", "outcome", "job_id", "status"]
        case .bouncedAddress: ["booking_reference", "address", "job_id", "at"]
        }
    }

    /// The primary key: rows are read in its order, a page after the last.
    public var key: [String] {
        switch self {
        case .booking: ["reference"]
        case .bookingVersion: ["reference", "version"]
        case .bounceNotice: ["fingerprint"]
        case .bouncedAddress: ["booking_reference", "address"]
        default: ["id"]
        }
    }

    /// Whether its `id` comes from a counter the copy must move on.
    public var hasCounter: Bool { key == ["id"] }
}

/// One stored value, as both backends hold them: whole numbers (times are
/// epoch seconds), text, or nothing.
public enum StoredCell: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
}

/// What `mdrsctl store copy` asks of a backend: its rows, page by page,
/// and, into an empty store, the same rows back with their ids.
public protocol TableCopying: Sendable {
    /// Up to `limit` rows of `table` (its ``StoredTable/columns``) in key
    /// order, after the row whose key is `after`.
    func copyRows(_ table: StoredTable, after: [StoredCell]?, limit: Int) async throws(StoreError) -> [[StoredCell]]

    /// Appends rows to `table` as they are, ids included.
    func appendRows(_ table: StoredTable, _ rows: [[StoredCell]]) async throws(StoreError)

    /// After the last rows: counters moved past the ids copied, derived
    /// tables (SQLite's job counts) rebuilt.
    func finishCopy() async throws(StoreError)
}

/// Copies one store into another, empty one, table by table.
public enum StoreCopier {
    /// How many rows of which table went.
    public struct Report: Sendable {
        public var rows: [(table: StoredTable, count: Int)] = []
    }

    /// Copies everything in `source` to `target`, which must hold no
    /// booking and no job.
    public static func copy(from source: some TableCopying, to target: some TableCopying & MDRSStore,
                            progress: (StoredTable, Int) -> Void = { _, _ in }) async throws(StoreError) -> Report {
        let bookings = try await target.bookingCount()
        let jobs = try await target.counts().values.reduce(0, +)
        guard bookings == 0 && jobs == 0 else {
            throw StoreError(.wrongState, "\(target.location) already holds \(bookings) bookings and \(jobs) emails; copy into an empty database")
        }
        var report = Report()
        for table in StoredTable.allCases {
            var count = 0
            var after: [StoredCell]?
            while true {
                let rows = try await source.copyRows(table, after: after, limit: 1000)
                guard let last = rows.last else { break }
                try await target.appendRows(table, rows)
                count += rows.count
                progress(table, count)
                after = table.key.map { column in last[table.columns.firstIndex(of: column)!] }
            }
            report.rows.append((table, count))
        }
        try await target.finishCopy()
        return report
    }
}
