public import Foundation
import GRDB
public import MediationDomain
public import Store

extension SQLiteStore {
    public func ingest(_ bookings: BookingFeed, planner: BookingPlanner, now: Date,
                       isCancelled: @escaping @Sendable () -> Bool) async throws(StoreError) -> IngestResult {
        defer { bookings.abandon() }
        let diaries = self.diaries
        do {
            let result = try await write("ingest") { db in
                var result = IngestResult(outcomes: [], touched: [], unscheduled: [])
                let diary = try diaries.take(zone: planner.rules.zone, db)
                do {
                    while let fed = try bookings.next() {
                        if isCancelled() { throw StoreError(.cancelled, "stopped before storing \(fed.booking.reference); nothing was stored") }
                        try Self.ingest(fed, planner: planner, now: now, diary: diary, into: &result, db)
                    }
                } catch let refused as BookingFeed.Refused {
                    throw StoreError(.refused, "the bookings were refused: \(refused.reason)", cause: refused.reason)
                }
                return result
            }
            diaries.committed()
            return result
        } catch {
            diaries.rolledBack()
            throw error
        }
    }

    /// One booking, read and written by the planner's decision.
    private static func ingest(_ fed: BookingFeed.Fed, planner: BookingPlanner, now: Date, diary: BusyDiary,
                               into result: inout IngestResult, _ db: Database) throws {
        let booking = fed.booking, reference = booking.reference
        let previous = try BookingRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM booking WHERE reference = ?"),
                                                  arguments: [reference])?.booking()
        guard try result.admits(booking, over: previous) else { return }
        if previous != nil {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO booking_version (reference, version, body, stored_at)
                SELECT reference, version, body, updated_at FROM booking WHERE reference = ?
                """).execute(arguments: [reference])
        }
        let record = BookingRecord(booking, body: fed.body, now: now)
        // Whether the row exists is known: one statement, not save()'s update-then-insert.
        try db.cachedStatement(sql: previous == nil ? """
            INSERT INTO booking (version, status, mediator, meeting_start, meeting_end, body, updated_at, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """ : """
            UPDATE booking SET version = ?, status = ?, mediator = ?, meeting_start = ?, meeting_end = ?, body = ?, updated_at = ?, purged_at = NULL WHERE reference = ?
            """).execute(arguments: [record.version, record.status, record.mediator, record.meetingStart, record.meetingEnd, record.body,
                                     record.updatedAt, record.reference])
        diary.meeting(of: reference, was: previous, now: booking)
        var busy: [BusyDay] = []
        if booking.status == .booked, let window = planner.busyWindow(for: booking) {
            busy = try Self.busy(diary, mediator: window.mediator, from: window.from, to: window.to, excluding: reference, db)
        }
        // A new reference has no calls or jobs yet: nothing to read.
        if previous != nil { try releaseHeld(booking, now: now, db) }
        let previousCalls = previous == nil ? [] : try calls(db, booking: reference, state: "planned")
        let stored = previous == nil ? [] : try JobRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM job WHERE booking_reference = ?"),
                                                                   arguments: [reference]).map { try $0.stored() }
        let input = BookingPlanner.Input(booking: booking, previous: previous, previousCalls: previousCalls, busy: busy, stored: stored)
        let decision = planner.decide(input, now: now)
        try apply(decision.calls, of: booking, db)
        diary.calls(decision.calls, replacing: previousCalls)
        let applied = try apply(decision.jobs, to: booking, now: now, db)
        let alerted = try raise(decision.alerts, now: now, db)
        result.record(booking, over: previous, calls: decision.calls, jobs: applied, alerts: alerted)
    }

    /// The mediator's busy days in a window, the days the diary lacks read
    /// first through the covering indexes.
    private static func busy(_ diary: BusyDiary, mediator: String, from: Date, to: Date, excluding reference: String,
                             _ db: Database) throws -> [BusyDay] {
        if let span = diary.missing(mediator: mediator, from: from, to: to) {
            let (start, end) = (JobRecord.seconds(span.from), JobRecord.seconds(span.to))
            let calls = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT booking_reference, mediator, with_roles, start_at, end_at FROM call
                WHERE mediator = ? AND start_at >= ? AND start_at < ? AND state = 'planned'
                """), arguments: [mediator, start, end]).map {
                PrepCall(booking: $0[0], mediator: $0[1], with: CallRecord.roles($0[2]), start: JobRecord.date($0[3]), end: JobRecord.date($0[4]))
            }
            let meetings = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT reference, meeting_start, meeting_end FROM booking
                WHERE mediator = ? AND status = 'booked' AND meeting_start >= ? AND meeting_start < ?
                """), arguments: [mediator, start, end]).map { row -> (reference: String, interval: DateInterval) in
                let begin: Int64 = row[1], end: Int64 = row[2]
                return (row[0], DateInterval(start: JobRecord.date(begin), end: JobRecord.date(max(end, begin))))
            }
            diary.fill(span, calls: calls, meetings: meetings)
        }
        return diary.busy(mediator: mediator, from: from, to: to, excluding: reference)
    }

    private static func apply(_ calls: BookingPlanner.Decision.Calls, of booking: Booking, _ db: Database) throws {
        switch calls {
        case .keep:
            break
        case .cancel:
            try db.execute(sql: "DELETE FROM call WHERE booking_reference = ? AND state != 'planned'", arguments: [booking.reference])
            try db.execute(sql: "UPDATE call SET state = 'cancelled' WHERE booking_reference = ?", arguments: [booking.reference])
        case .replace(let plan):
            try db.cachedStatement(sql: "DELETE FROM call WHERE booking_reference = ?").execute(arguments: [booking.reference])
            let insert = try db.cachedStatement(sql: """
                INSERT INTO call (booking_reference, booking_version, mediator, with_roles, state, start_at, end_at, meeting_at, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for record in plan.calls.map({ CallRecord(planned: $0, of: booking) }) + plan.unscheduled.map({ CallRecord(unscheduled: $0, of: booking) }) {
                try insert.execute(arguments: [record.bookingReference, record.bookingVersion, record.mediator, record.withRoles, record.state,
                                               record.startAt, record.endAt, record.meetingAt, record.reason])
            }
        }
    }

    /// Applies a plan diff; returns what it added and cancelled and the
    /// waiting jobs it touched.
    static func apply(_ diff: JobPlanDiff, to booking: Booking, now: Date, _ db: Database) throws
    -> (added: Int, cancelled: Int, touched: [ScheduledJob]) {
        let nowSeconds = JobRecord.seconds(now)
        var touched: [ScheduledJob] = []
        var cancelled = 0
        let cancel = try db.cachedStatement(sql: "UPDATE job SET state = 'cancelled', updated_at = ? WHERE id = ? AND \(JobRecord.waitingSQL)")
        for id in diff.cancel {
            try cancel.execute(arguments: [nowSeconds, id])
            cancelled += db.changesCount
        }
        let move = try db.cachedStatement(sql: """
            UPDATE job SET booking_version = ?, role = ?, party_index = ?, due_at = COALESCE(?, due_at),
                state = CASE WHEN ? THEN 'pending' ELSE state END, attempts = CASE WHEN ? THEN 0 ELSE attempts END, updated_at = ?
            WHERE id = ? AND (\(JobRecord.waitingSQL) OR (? AND state = 'cancelled'))
            RETURNING due_at
            """)
        for item in diff.move {
            let arguments: StatementArguments = [item.bookingVersion, item.recipient.roleName, item.recipient.partyIndex,
                                                 item.due.map(JobRecord.seconds), item.revive, item.revive, nowSeconds, item.id, item.revive]
            if let due = try Int64.fetchOne(move, arguments: arguments) { touched.append(ScheduledJob(id: item.id, due: JobRecord.date(due))) }
        }
        var added = 0
        var rows: [JobRecord] = []
        // A shared agenda: added by the first booking that wants it, moved
        // (while pending) by the others.
        let agenda = try db.cachedStatement(sql: """
            INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, mediator, due_at, state,
                             attempts, updated_at)
            VALUES (?, '', 0, ?, ?, NULL, ?, ?, 'pending', 0, ?)
            ON CONFLICT (booking_reference, dedupe_key) DO NOTHING
            RETURNING id
            """)
        let moveAgenda = try db.cachedStatement(sql: """
            UPDATE job SET due_at = ?, updated_at = ? WHERE booking_reference = '' AND dedupe_key = ? AND state = 'pending' AND due_at != ?
            RETURNING id
            """)
        var inserted = 0
        for planned in diff.add {
            if planned.standalone {
                let due = JobRecord.seconds(planned.due)
                if let id = try Int64.fetchOne(agenda, arguments: [planned.key, planned.message.rawValue, planned.recipient.roleName,
                                                                   planned.recipient.mediatorID, due, nowSeconds]) {
                    inserted += 1
                    touched.append(ScheduledJob(id: id, due: planned.due))
                } else if let id = try Int64.fetchOne(moveAgenda, arguments: [due, nowSeconds, planned.key, due]) {
                    touched.append(ScheduledJob(id: id, due: planned.due))
                }
                continue
            }
            rows.append(JobRecord(planned, booking: booking, now: now))
        }
        // A booking's jobs in one statement (one row each), ids returned in order.
        if !rows.isEmpty {
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)", count: rows.count).joined(separator: ", ")
            let statement = try db.cachedStatement(sql: """
                INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, mediator, due_at, state,
                                 attempts, updated_at) VALUES \(values) RETURNING id
                """)
            var arguments = StatementArguments()
            for record in rows {
                arguments += [record.dedupeKey, record.bookingReference, record.bookingVersion, record.message, record.role,
                              record.partyIndex, record.mediator, record.dueAt, record.updatedAt]
            }
            // RETURNING gives rows in no set order, but rowids are given in
            // VALUES order: the n-th smallest id is the n-th row.
            let ids = try Int64.fetchAll(statement, arguments: arguments).sorted()
            for (id, record) in zip(ids, rows) { touched.append(ScheduledJob(id: id, due: JobRecord.date(record.dueAt))) }
            added = ids.count
        }
        try countInserted(added + inserted, db)
        return (added, cancelled, touched)
    }

    public func replan(_ kinds: Set<MessageKind>, planner: BookingPlanner, now: Date) async throws(StoreError) -> [ScheduledJob] {
        var touched: [ScheduledJob] = []
        var agendas: Set<String> = []
        var cursor: BookingCursor?
        // In batches, so a long re-plan never holds the database for long.
        while true {
            let after = cursor
            let (batch, batchTouched, batchAgendas): ([Booking], [ScheduledJob], Set<String>) = try await write("re-plan") { db in
                var request = BookingRecord.filter(BookingRecord.Columns.status == Booking.Status.booked.rawValue
                    && BookingRecord.Columns.meetingStart > JobRecord.seconds(now))
                if let after {
                    let start = JobRecord.seconds(after.meetingStart)
                    request = request.filter(BookingRecord.Columns.meetingStart > start
                        || (BookingRecord.Columns.meetingStart == start && BookingRecord.Columns.reference > after.reference))
                }
                let bookings = try request.order(BookingRecord.Columns.meetingStart, BookingRecord.Columns.reference).limit(500)
                    .fetchAll(db).map { try $0.booking() }
                var touched: [ScheduledJob] = [], agendas: Set<String> = []
                for booking in bookings {
                    let stored = try JobRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM job WHERE booking_reference = ?"),
                                                        arguments: [booking.reference]).map { try $0.stored() }
                    let diff = planner.replan(booking, calls: try Self.calls(db, booking: booking.reference, state: "planned"),
                                              stored: stored, kinds: kinds, now: now)
                    agendas.formUnion(diff.add.filter(\.standalone).map(\.key))
                    touched += try Self.apply(diff, to: booking, now: now, db).touched
                }
                return (bookings, touched, agendas)
            }
            touched += batchTouched
            agendas.formUnion(batchAgendas)
            guard let last = batch.last else { break }
            cursor = BookingCursor(after: last)
        }
        if kinds.contains(.mediatorAgenda) {
            let keep = agendas
            try await write("cancel agendas") { db in
                let waiting = try JobRecord.filter(JobRecord.Columns.message == MessageKind.mediatorAgenda.rawValue)
                    .filter(sql: JobRecord.waitingSQL).fetchAll(db)
                for record in waiting where !keep.contains(record.dedupeKey) {
                    try db.execute(sql: "UPDATE job SET state = 'cancelled', updated_at = ? WHERE id = ?",
                                   arguments: [JobRecord.seconds(now), record.id])
                }
            }
        }
        return touched
    }
}
