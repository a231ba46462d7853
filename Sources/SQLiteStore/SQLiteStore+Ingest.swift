public import Foundation
import GRDB
public import MediationDomain
public import Store

extension SQLiteStore {
    public func ingest(_ bookings: [Booking], planner: BookingPlanner, now: Date,
                       isCancelled: @escaping @Sendable () -> Bool) async throws(StoreError) -> IngestResult {
        try await write("ingest") { db in
            var result = IngestResult(outcomes: [], touched: [], unscheduled: [])
            for booking in bookings {
                if isCancelled() { throw StoreError(.cancelled, "stopped before storing \(booking.reference); nothing was stored") }
                try Self.ingest(booking, planner: planner, now: now, into: &result, db)
            }
            return result
        }
    }

    /// One booking, read and written by the planner's decision.
    private static func ingest(_ booking: Booking, planner: BookingPlanner, now: Date, into result: inout IngestResult,
                               _ db: Database) throws {
        let reference = booking.reference
        let previous = try BookingRecord.fetchOne(db, key: reference)?.booking()
        let previousVersion: Int?
        switch BookingPlanner.compare(booking, with: previous) {
        case .unchanged:
            result.outcomes.append((reference, .unchanged))
            return
        case .stale(let message):
            throw StoreError(.stale, message, reference: reference)
        case .new:
            previousVersion = nil
        case .replaces(let version):
            previousVersion = version
        }
        try BookingRecord(booking, now: now).save(db)
        var busyCalls: [PrepCall] = [], busyMeetings: [DateInterval] = []
        if booking.status == .booked, let window = planner.busyWindow(for: booking) {
            busyCalls = try plannedCalls(db, mediator: window.mediator, from: window.from, to: window.to, excluding: reference)
            busyMeetings = try meetingIntervals(db, mediator: window.mediator, from: window.from, to: window.to)
        }
        let input = BookingPlanner.Input(
            booking: booking, previous: previous, previousCalls: try calls(db, booking: reference, state: "planned"),
            busyCalls: busyCalls, busyMeetings: busyMeetings,
            stored: try JobRecord.filter(JobRecord.Columns.bookingReference == reference).fetchAll(db).map { try $0.stored() })
        let decision = planner.decide(input, now: now)
        try apply(decision.calls, of: booking, db)
        let applied = try apply(decision.jobs, to: booking, now: now, db)
        result.touched += applied.touched
        result.touched += try raise(decision.alerts, now: now, db)
        if case .replace(let plan) = decision.calls { result.unscheduled += plan.unscheduled }
        result.outcomes.append((reference, previousVersion.map {
            .updated(fromVersion: $0, jobsAdded: applied.added, jobsCancelled: applied.cancelled)
        } ?? .created(jobsAdded: applied.added)))
    }

    /// The mediator's booked meetings starting in a span, as intervals.
    static func meetingIntervals(_ db: Database, mediator: String, from: Date, to: Date) throws -> [DateInterval] {
        try Row.fetchAll(db, BookingRecord.select(BookingRecord.Columns.meetingStart, BookingRecord.Columns.meetingEnd)
            .filter(BookingRecord.Columns.mediator == mediator && BookingRecord.Columns.status == Booking.Status.booked.rawValue
                && BookingRecord.Columns.meetingStart >= JobRecord.seconds(from) && BookingRecord.Columns.meetingStart < JobRecord.seconds(to)))
            .map { row in
                let start: Int64 = row[0], end: Int64 = row[1]
                return DateInterval(start: JobRecord.date(start), end: JobRecord.date(max(end, start)))
            }
    }

    private static func apply(_ calls: BookingPlanner.Decision.Calls, of booking: Booking, _ db: Database) throws {
        switch calls {
        case .keep:
            break
        case .cancel:
            try db.execute(sql: "DELETE FROM call WHERE booking_reference = ? AND state != 'planned'", arguments: [booking.reference])
            try db.execute(sql: "UPDATE call SET state = 'cancelled' WHERE booking_reference = ?", arguments: [booking.reference])
        case .replace(let plan):
            try db.execute(sql: "DELETE FROM call WHERE booking_reference = ?", arguments: [booking.reference])
            for call in plan.calls {
                var record = CallRecord(planned: call, of: booking)
                try record.insert(db)
            }
            for missing in plan.unscheduled {
                var record = CallRecord(unscheduled: missing, of: booking)
                try record.insert(db)
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
        let agenda = try db.cachedStatement(sql: """
            INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, mediator, due_at, state,
                             attempts, updated_at)
            VALUES (?, NULL, 0, ?, ?, NULL, ?, ?, 'pending', 0, ?)
            ON CONFLICT (dedupe_key) DO UPDATE SET due_at = excluded.due_at, updated_at = excluded.updated_at
                WHERE state = 'pending' AND due_at != excluded.due_at
            RETURNING id, due_at
            """)
        for planned in diff.add {
            if planned.standalone {
                if let row = try Row.fetchOne(agenda, arguments: [planned.key, planned.message.rawValue, planned.recipient.roleName,
                                                                  planned.recipient.mediatorID, JobRecord.seconds(planned.due), nowSeconds]) {
                    touched.append(ScheduledJob(id: row[0], due: JobRecord.date(row[1])))
                }
                continue
            }
            var record = JobRecord(planned, booking: booking, now: now)
            try record.insert(db)
            added += 1
            if let id = record.id { touched.append(ScheduledJob(id: id, due: planned.due)) }
        }
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
                    let stored = try JobRecord.filter(JobRecord.Columns.bookingReference == booking.reference).fetchAll(db).map { try $0.stored() }
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
