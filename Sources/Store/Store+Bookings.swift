import Foundation
import GRDB
import MediationDomain

extension Store {
    /// A changed booking as call planning sees it.
    public struct ChangedBooking: Sendable {
        public var booking: Booking
        public var previous: Booking?
        /// The calls planned for the previous version.
        public var previousCalls: [PrepCall]
    }

    /// Plans the calls of the bookings that changed, given every other
    /// booking's calls and all booked meetings.
    public typealias CallPlanning = (_ changed: [ChangedBooking], _ otherCalls: [PrepCall], _ meetings: [Booking]) -> [String: CallPlan]
    /// Plans the emails of one booking version, given its calls.
    public typealias MessagePlanning = (_ booking: Booking, _ previous: Booking?, _ calls: [PrepCall]) -> [PlannedMessage]

    /// Stores bookings, their calls and their jobs in one transaction: all of
    /// them, or (when any is stale) none.
    ///
    /// The same booking again changes nothing; a higher version replaces the
    /// stored one, its calls are planned again (`planCalls`; without it the
    /// stored calls stay), and its emails as a diff: unsent jobs the new plan
    /// no longer has are cancelled, jobs it keeps move to the new version,
    /// new ones are added. A lower version, or the same version with other
    /// content, is rejected as stale and changes nothing.
    public func ingest(_ bookings: [Booking], now: Date, planCalls: CallPlanning? = nil,
                       planMessages: MessagePlanning) throws(StoreError) -> [IngestOutcome] {
        try write { db in
            var changed: [ChangedBooking] = []
            var changedIndex: [Int] = []
            var outcomes: [IngestOutcome] = []
            for (index, booking) in bookings.enumerated() {
                let (previous, isChanged) = try upsert(booking, now: now, db)
                if isChanged {
                    changed.append(ChangedBooking(booking: booking, previous: previous,
                                                  previousCalls: try Self.plannedCalls(db, booking: booking.reference)))
                    changedIndex.append(index)
                }
                outcomes.append(isChanged ? (previous.map { .updated(fromVersion: $0.version, jobsAdded: 0, jobsCancelled: 0) }
                                             ?? .created(jobsAdded: 0)) : .unchanged)
            }
            var plans: [String: CallPlan] = [:]
            if let planCalls, !changed.isEmpty {
                let references = Set(changed.map(\.booking.reference))
                let others = try Self.plannedCalls(db).filter { !references.contains($0.booking) }
                plans = planCalls(changed, others, try Self.bookedMeetings(db))
            }
            for (item, index) in zip(changed, changedIndex) {
                let booking = item.booking
                var calls = item.previousCalls
                if planCalls != nil && booking.status == .cancelled {
                    // Kept as cancelled, so the parties' call events can be cancelled too.
                    try db.execute(sql: "DELETE FROM call WHERE booking_reference = ? AND state != 'planned'", arguments: [booking.reference])
                    try db.execute(sql: "UPDATE call SET state = 'cancelled' WHERE booking_reference = ?", arguments: [booking.reference])
                } else if planCalls != nil {
                    try db.execute(sql: "DELETE FROM call WHERE booking_reference = ?", arguments: [booking.reference])
                    let plan = plans[booking.reference] ?? CallPlan()
                    try Self.insert(plan, for: booking, db)
                    calls = plan.calls
                }
                let (added, cancelled) = try apply(planMessages(booking, item.previous, calls), to: booking, now: now, db)
                outcomes[index] = item.previous.map { .updated(fromVersion: $0.version, jobsAdded: added, jobsCancelled: cancelled) }
                    ?? .created(jobsAdded: added)
            }
            return outcomes
        }
    }

    /// Inserts or replaces the booking row. Returns the version it replaced
    /// and whether anything changed.
    private func upsert(_ booking: Booking, now: Date, _ db: Database) throws -> (previous: Booking?, changed: Bool) {
        let body = String(decoding: try Self.encoder.encode(booking), as: UTF8.self)
        let stored = try Row.fetchOne(db, sql: "SELECT version, body FROM booking WHERE reference = ?", arguments: [booking.reference])
        let arguments: StatementArguments = [booking.version, booking.status.rawValue, Int64(booking.meeting.start.timeIntervalSince1970),
                                             body, Int64(now.timeIntervalSince1970), booking.reference]
        guard let stored else {
            try db.execute(sql: "INSERT INTO booking (version, status, meeting_start, body, updated_at, reference) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: arguments)
            return (nil, true)
        }
        let storedVersion: Int = stored["version"]
        if booking.version == storedVersion {
            if stored["body"] == body { return (nil, false) }
            throw StoreError(.stale, "\(booking.reference) version \(booking.version) is already stored with other content; send a higher version to change it",
                             reference: booking.reference)
        }
        if booking.version < storedVersion {
            throw StoreError(.stale, "\(booking.reference) version \(booking.version) is older than the stored version \(storedVersion)",
                             reference: booking.reference)
        }
        let previous = try Self.decoder.decode(Booking.self, from: Data((stored["body"] as String).utf8))
        try db.execute(sql: "UPDATE booking SET version = ?, status = ?, meeting_start = ?, body = ?, updated_at = ? WHERE reference = ?",
                       arguments: arguments)
        return (previous, true)
    }

    /// Applies a booking's planned emails as a diff. Returns how many jobs
    /// were added and how many unsent ones cancelled.
    ///
    /// An unsent confirmation or change notice that the new plan does not
    /// replace is kept for the new version (it renders the booking as it is
    /// when sent), so a quick correction never leaves a party untold.
    /// - Parameter kinds: only jobs of these messages are touched (a
    ///   re-plan of reminders); `nil` for all.
    private func apply(_ plan: [PlannedMessage], to booking: Booking, now: Date, _ db: Database,
                       only kinds: Set<MessageKind>? = nil) throws -> (added: Int, cancelled: Int) {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let keys = Set(plan.filter { !$0.standalone }.map(\.key))
        let announcements: Set<String> = [MessageKind.bookingConfirmation.rawValue, MessageKind.bookingChanged.rawValue]
        let announced = Set(plan.filter { announcements.contains($0.message.rawValue) }.map { "\($0.role).\($0.partyIndex)" })
        var cancelled = 0
        let unsent = try Row.fetchAll(db, sql: """
            SELECT id, dedupe_key, message, role, party_index FROM job WHERE booking_reference = ? AND state IN ('pending', 'retry')
            """, arguments: [booking.reference])
        for row in unsent where !keys.contains(row["dedupe_key"] as String) {
            let message: String = row["message"], role: String = row["role"], index: Int = row["party_index"]
            if let kinds, !kinds.contains(where: { $0.rawValue == message }) { continue }
            if booking.status == .booked && announcements.contains(message) && !announced.contains("\(role).\(index)") {
                try db.execute(sql: "UPDATE job SET booking_version = ?, updated_at = ? WHERE id = ?",
                               arguments: [booking.version, nowSeconds, row["id"] as Int64])
            } else {
                try db.execute(sql: "UPDATE job SET state = 'cancelled', updated_at = ? WHERE id = ?", arguments: [nowSeconds, row["id"] as Int64])
                cancelled += 1
            }
        }
        var added = 0
        for job in plan {
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM job WHERE dedupe_key = ?", arguments: [job.key]) ?? false
            if exists {
                // Still unsent: it now belongs to this version, at the time
                // the plan gives now (unless it is waiting out a retry).
                try db.execute(sql: """
                    UPDATE job SET booking_version = CASE WHEN ? THEN booking_version ELSE ? END, party_index = ?,
                        due_at = CASE WHEN state = 'pending' THEN ? ELSE due_at END, updated_at = ?
                    WHERE dedupe_key = ? AND state IN ('pending', 'retry') AND (due_at != ? OR booking_version != ?)
                    """, arguments: [job.standalone, booking.version, job.partyIndex, Int64(job.due.timeIntervalSince1970), nowSeconds,
                                     job.key, Int64(job.due.timeIntervalSince1970), job.standalone ? 0 : booking.version])
                continue
            }
            if job.onlyIfFuture && job.due <= now { continue }
            try db.execute(sql: """
                INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, due_at, state,
                                 updated_at, mediator)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """, arguments: [job.key, job.standalone ? "" : booking.reference, job.standalone ? 0 : booking.version,
                                 job.message.rawValue, job.role, job.partyIndex, Int64(job.due.timeIntervalSince1970), nowSeconds,
                                 job.mediator])
            added += 1
        }
        return (added, cancelled)
    }

    /// Plans the jobs of `kinds` for every booking still ahead again, after
    /// the reminder plan changed (a reload): new ones are added, unsent ones
    /// the plan no longer has are cancelled, kept ones move to their new
    /// time. Other messages, and what was sent, are left alone.
    /// - Returns: how many jobs were added, moved or cancelled.
    @discardableResult
    public func replan(_ kinds: Set<MessageKind>, now: Date, planMessages: MessagePlanning) throws(StoreError) -> Int {
        try write { db in
            let before = db.totalChangesCount
            var agendas: Set<String> = []
            for booking in try Self.bookedMeetings(db) where booking.meeting.start > now {
                let plan = planMessages(booking, booking, try Self.plannedCalls(db, booking: booking.reference))
                    .filter { kinds.contains($0.message) }
                agendas.formUnion(plan.filter(\.standalone).map(\.key))
                _ = try apply(plan, to: booking, now: now, db, only: kinds)
            }
            if kinds.contains(.mediatorAgenda) {
                var arguments: StatementArguments = [Int64(now.timeIntervalSince1970), MessageKind.mediatorAgenda.rawValue]
                arguments += StatementArguments(Array(agendas))
                let list = agendas.isEmpty ? "''" : agendas.map { _ in "?" }.joined(separator: ",")
                try db.execute(sql: """
                    UPDATE job SET state = 'cancelled', updated_at = ?
                    WHERE message = ? AND state IN ('pending', 'retry') AND dedupe_key NOT IN (\(list))
                    """, arguments: arguments)
            }
            return db.totalChangesCount - before
        }
    }

    static func bookedMeetings(_ db: Database) throws -> [Booking] {
        try String.fetchAll(db, sql: "SELECT body FROM booking WHERE status = 'booked'")
            .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
    }

    /// The stored booking with this reference, or `nil`.
    public func booking(_ reference: String) throws(StoreError) -> Booking? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT body FROM booking WHERE reference = ?", arguments: [reference])
                .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
        }
    }

    /// Booked meetings starting in `from..<to`, optionally one mediator's, by start.
    public func meetings(from: Date, to: Date, mediator: String? = nil) throws(StoreError) -> [Booking] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT body FROM booking WHERE status = 'booked' AND meeting_start >= ? AND meeting_start < ? ORDER BY meeting_start, reference
                """, arguments: [Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)])
                .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
                .filter { mediator == nil || $0.mediator == mediator }
        }
    }

    /// How many bookings are stored.
    public func bookingCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM booking") ?? 0 }
    }

    /// Every stored booking, by meeting start.
    public func bookings() throws(StoreError) -> [Booking] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT body FROM booking ORDER BY meeting_start, reference")
                .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
        }
    }
}
