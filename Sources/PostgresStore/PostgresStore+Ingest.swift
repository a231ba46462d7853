public import Foundation
public import MediationDomain
import PostgresNIO
public import Store

extension PostgresStore {
    /// As the SQLite store, in one transaction; with other instances
    /// ingesting at once, each booking's reference and then its mediator
    /// are locked (advisory locks, held to commit) before anything of them
    /// is read, so two instances never plan one mediator's week at once. A
    /// deadlock between two files is broken by PostgreSQL and reported as
    /// busy: the file waits and is tried again.
    public func ingest(_ bookings: BookingFeed, planner: BookingPlanner, now: Date,
                       isCancelled: @escaping @Sendable () -> Bool) async throws(StoreError) -> IngestResult {
        defer { bookings.abandon() }
        return try await write("ingest") { session in
            var result = IngestResult(outcomes: [], touched: [], unscheduled: [])
            let diary = BusyDiary(zone: planner.rules.zone)
            var locked: Set<String> = []
            do {
                while let fed = try await bookings.nextWhenReady() {
                    if isCancelled() { throw StoreError(.cancelled, "stopped before storing \(fed.booking.reference); nothing was stored") }
                    try await Self.ingest(fed, planner: planner, now: now, diary: diary, locked: &locked, into: &result, session)
                }
            } catch let refused as BookingFeed.Refused {
                throw StoreError(.refused, "the bookings were refused: \(refused.reason)", cause: refused.reason)
            }
            try await session.announce(result.touched)
            return result
        }
    }

    /// Takes the advisory lock named `name` for the rest of the transaction, once.
    private static func lock(_ name: String, _ locked: inout Set<String>, _ session: Session) async throws {
        guard locked.insert(name).inserted else { return }
        try await session.run("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))")
    }

    private static func ingest(_ fed: BookingFeed.Fed, planner: BookingPlanner, now: Date, diary: BusyDiary, locked: inout Set<String>,
                               into result: inout IngestResult, _ session: Session) async throws {
        let booking = fed.booking, reference = booking.reference
        try await lock("mdrsd.booking." + reference, &locked, session)
        let previous = try await session.bookings("SELECT reference, body FROM booking WHERE reference = \(reference)").first
        guard try result.admits(booking, over: previous) else { return }
        let at = StoredValue.seconds(now)
        let (start, end) = (StoredValue.seconds(booking.meeting.start), StoredValue.seconds(booking.meeting.end))
        let body = fed.body
        if previous != nil {
            try await session.run("""
                INSERT INTO booking_version (reference, version, body, stored_at)
                SELECT reference, version, body, updated_at FROM booking WHERE reference = \(reference) ON CONFLICT DO NOTHING
                """)
            try await session.run("""
                UPDATE booking SET version = \(Int64(booking.version)), status = \(booking.status.rawValue), mediator = \(booking.mediator),
                    meeting_start = \(start), meeting_end = \(end), body = \(body), updated_at = \(at), purged_at = NULL
                WHERE reference = \(reference)
                """)
        } else {
            try await session.run("""
                INSERT INTO booking (reference, version, status, mediator, meeting_start, meeting_end, body, updated_at)
                VALUES (\(reference), \(Int64(booking.version)), \(booking.status.rawValue), \(booking.mediator), \(start), \(end), \(body),
                        \(at))
                """)
        }
        diary.meeting(of: reference, was: previous, now: booking)
        var busy: [BusyDay] = []
        if booking.status == .booked, let window = planner.busyWindow(for: booking) {
            try await lock("mdrsd.mediator." + window.mediator, &locked, session)
            busy = try await Self.busy(diary, mediator: window.mediator, from: window.from, to: window.to, excluding: reference, session)
        }
        // A new reference has no calls or jobs yet: nothing to read.
        if previous != nil { try await releaseHeld(booking, now: now, session) }
        let previousCalls = previous == nil ? [] : try await calls(session, booking: reference, state: "planned")
        let stored = previous == nil ? [] : try await session.jobs("""
            SELECT \(unescaped: Columns.jobSQL) FROM job WHERE booking_reference = \(reference)
            """).map { try $0.stored() }
        let decision = planner.decide(BookingPlanner.Input(booking: booking, previous: previous, previousCalls: previousCalls, busy: busy,
                                                           stored: stored), now: now)
        try await apply(decision.calls, of: booking, session)
        diary.calls(decision.calls, replacing: previousCalls)
        let applied = try await apply(decision.jobs, to: booking, now: now, session)
        let alerted = try await raise(decision.alerts, now: now, session)
        result.record(booking, over: previous, calls: decision.calls, jobs: applied, alerts: alerted)
    }

    /// The mediator's busy days in a window, the days the diary lacks read first.
    private static func busy(_ diary: BusyDiary, mediator: String, from: Date, to: Date, excluding reference: String,
                             _ session: Session) async throws -> [BusyDay] {
        if let span = diary.missing(mediator: mediator, from: from, to: to) {
            let (start, end) = (StoredValue.seconds(span.from), StoredValue.seconds(span.to))
            let calls = try await session.calls("""
                SELECT \(unescaped: Columns.callSQL) FROM call
                WHERE mediator = \(mediator) AND start_at >= \(start) AND start_at < \(end) AND state = 'planned'
                """)
            let meetings = try await session.rows("""
                SELECT reference, meeting_start, meeting_end FROM booking
                WHERE mediator = \(mediator) AND status = 'booked' AND meeting_start >= \(start) AND meeting_start < \(end)
                """) { row -> (reference: String, interval: DateInterval) in
                let begin = try row[1].decode(Int64.self), end = try row[2].decode(Int64.self)
                return (try row[0].decode(String.self), DateInterval(start: StoredValue.date(begin), end: StoredValue.date(max(end, begin))))
            }
            diary.fill(span, calls: calls, meetings: meetings)
        }
        return diary.busy(mediator: mediator, from: from, to: to, excluding: reference)
    }

    private static func apply(_ calls: BookingPlanner.Decision.Calls, of booking: Booking, _ session: Session) async throws {
        let reference = booking.reference
        switch calls {
        case .keep:
            break
        case .cancel:
            try await session.run("DELETE FROM call WHERE booking_reference = \(reference) AND state <> 'planned'")
            try await session.run("UPDATE call SET state = 'cancelled' WHERE booking_reference = \(reference)")
        case .replace(let plan):
            try await session.run("DELETE FROM call WHERE booking_reference = \(reference)")
            let meeting = StoredValue.seconds(booking.meeting.start), version = Int64(booking.version)
            for call in plan.calls {
                try await session.run("""
                    INSERT INTO call (booking_reference, booking_version, mediator, with_roles, state, start_at, end_at, meeting_at)
                    VALUES (\(reference), \(version), \(call.mediator), \(StoredValue.text(call.with)), 'planned',
                            \(StoredValue.seconds(call.start)), \(StoredValue.seconds(call.end)), \(meeting))
                    """)
            }
            for call in plan.unscheduled {
                try await session.run("""
                    INSERT INTO call (booking_reference, booking_version, mediator, with_roles, state, meeting_at, reason)
                    VALUES (\(reference), \(version), \(booking.mediator), \(StoredValue.text(call.with)), 'unscheduled', \(meeting),
                            \(call.reason))
                    """)
            }
        }
    }

    /// Applies a plan diff; returns what it added and cancelled and the
    /// waiting jobs it touched.
    static func apply(_ diff: JobPlanDiff, to booking: Booking, now: Date, _ session: Session) async throws
    -> (added: Int, cancelled: Int, touched: [ScheduledJob]) {
        let at = StoredValue.seconds(now)
        var touched: [ScheduledJob] = []
        let cancelled = diff.cancel.isEmpty ? 0 : try await session.values("""
            UPDATE job SET state = 'cancelled', updated_at = \(at) WHERE id = ANY(\(diff.cancel)) AND state IN ('pending', 'retry')
            RETURNING id
            """, Int64.self).count
        for item in diff.move {
            if let due = try await session.value("""
                UPDATE job SET booking_version = \(Int64(item.bookingVersion)), role = \(item.recipient.roleName),
                    party_index = \(item.recipient.partyIndex.map(Int64.init)), due_at = COALESCE(\(item.due.map(StoredValue.seconds)), due_at),
                    state = CASE WHEN \(item.revive) THEN 'pending' ELSE state END,
                    attempts = CASE WHEN \(item.revive) THEN 0 ELSE attempts END, updated_at = \(at)
                WHERE id = \(item.id) AND (state IN ('pending', 'retry') OR (\(item.revive) AND state = 'cancelled'))
                RETURNING due_at
                """, Int64.self) {
                touched.append(ScheduledJob(id: item.id, due: StoredValue.date(due)))
            }
        }
        var added = 0
        for planned in diff.add {
            let due = StoredValue.seconds(planned.due)
            if planned.standalone {
                // A shared agenda: added by the first booking that wants it,
                // moved (while pending) by the others.
                if let id = try await session.value("""
                    INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, mediator, due_at, state,
                                     attempts, updated_at)
                    VALUES (\(planned.key), '', 0, \(planned.message.rawValue), \(planned.recipient.roleName), NULL,
                            \(planned.recipient.mediatorID), \(due), 'pending', 0, \(at))
                    ON CONFLICT (booking_reference, dedupe_key) DO NOTHING
                    RETURNING id
                    """, Int64.self) {
                    touched.append(ScheduledJob(id: id, due: planned.due))
                } else if let id = try await session.value("""
                    UPDATE job SET due_at = \(due), updated_at = \(at)
                    WHERE booking_reference = '' AND dedupe_key = \(planned.key) AND state = 'pending' AND due_at <> \(due)
                    RETURNING id
                    """, Int64.self) {
                    touched.append(ScheduledJob(id: id, due: planned.due))
                }
                continue
            }
            let id = try await session.value("""
                INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, mediator, due_at, state,
                                 attempts, updated_at)
                VALUES (\(planned.key), \(booking.reference), \(Int64(booking.version)), \(planned.message.rawValue),
                        \(planned.recipient.roleName), \(planned.recipient.partyIndex.map(Int64.init)), \(planned.recipient.mediatorID),
                        \(due), 'pending', 0, \(at))
                RETURNING id
                """, Int64.self)
            if let id {
                added += 1
                touched.append(ScheduledJob(id: id, due: planned.due))
            }
        }
        return (added, cancelled, touched)
    }

    public func replan(_ kinds: Set<MessageKind>, planner: BookingPlanner, now: Date) async throws(StoreError) -> [ScheduledJob] {
        var touched: [ScheduledJob] = []
        var agendas: Set<String> = []
        var cursor: BookingCursor?
        // In batches, so a long re-plan never holds its locks for long.
        while true {
            var filter = Filter()
            filter.add("status = 'booked' AND meeting_start > ?", StoredValue.seconds(now))
            if let cursor { filter.add("(meeting_start, reference) > (?, ?)", StoredValue.seconds(cursor.meetingStart), cursor.reference) }
            let statement = filter.query("SELECT reference, body FROM booking", then: "ORDER BY meeting_start, reference LIMIT 500")
            let (batch, batchTouched, batchAgendas) = try await write("re-plan") { session -> ([Booking], [ScheduledJob], Set<String>) in
                let bookings = try await session.bookings(statement)
                var touched: [ScheduledJob] = [], agendas: Set<String> = []
                for booking in bookings {
                    let stored = try await session.jobs("""
                        SELECT \(unescaped: Columns.jobSQL) FROM job WHERE booking_reference = \(booking.reference) FOR UPDATE
                        """).map { try $0.stored() }
                    let diff = planner.replan(booking, calls: try await Self.calls(session, booking: booking.reference, state: "planned"),
                                              stored: stored, kinds: kinds, now: now)
                    agendas.formUnion(diff.add.filter(\.standalone).map(\.key))
                    touched += try await Self.apply(diff, to: booking, now: now, session).touched
                }
                try await session.announce(touched)
                return (bookings, touched, agendas)
            }
            touched += batchTouched
            agendas.formUnion(batchAgendas)
            guard let last = batch.last else { break }
            cursor = BookingCursor(after: last)
        }
        if kinds.contains(.mediatorAgenda) {
            let keep = Array(agendas)
            try await write("cancel agendas") { session in
                try await session.run("""
                    UPDATE job SET state = 'cancelled', updated_at = \(StoredValue.seconds(now))
                    WHERE message = \(MessageKind.mediatorAgenda.rawValue) AND state IN ('pending', 'retry') AND NOT (dedupe_key = ANY(\(keep)))
                    """)
            }
        }
        return touched
    }
}
