import Foundation
import GRDB
import MediationDomain

extension Store {
    /// Stores bookings and their planned jobs in one transaction: all of them,
    /// or (when any is stale) none.
    ///
    /// The same booking again changes nothing; a higher version replaces the
    /// stored one, cancels its unsent jobs that the new plan no longer has and
    /// adds the new ones; a lower version, or the same version with other
    /// content, is rejected as stale and changes nothing.
    /// - Parameters:
    ///   - items: validated bookings, each with the jobs its version wants.
    ///   - now: the time recorded as the update time.
    ///   - planCalls: plans the preparatory calls of the bookings that
    ///     changed, given every other booking's calls and all meetings; run
    ///     inside the same transaction, so two writers never double-book.
    public func ingest(_ items: [(booking: Booking, plan: [NewJob])], now: Date,
                       planCalls: ((_ changed: [Booking], _ otherCalls: [PrepCall], _ meetings: [Booking]) -> [String: CallPlan])? = nil)
    throws(StoreError) -> [IngestOutcome] {
        try write { db in
            let outcomes = try items.map { try ingest($0.booking, plan: $0.plan, now: now, db) }
            guard let planCalls else { return outcomes }
            let changed = zip(items, outcomes).filter { $0.1 != .unchanged }.map(\.0.booking)
            guard !changed.isEmpty else { return outcomes }
            let references = Set(changed.map(\.reference))
            let others = try Self.plannedCalls(db).filter { !references.contains($0.booking) }
            let meetings = try String.fetchAll(db, sql: "SELECT body FROM booking WHERE status = 'booked'")
                .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
            let plans = planCalls(changed, others, meetings)
            for booking in changed {
                try db.execute(sql: "DELETE FROM call WHERE booking_reference = ?", arguments: [booking.reference])
                try Self.insert(plans[booking.reference] ?? CallPlan(), for: booking, db)
            }
            return outcomes
        }
    }

    private func ingest(_ booking: Booking, plan: [NewJob], now: Date, _ db: Database) throws -> IngestOutcome {
        let body = String(decoding: try Self.encoder.encode(booking), as: UTF8.self)
        let stored = try Row.fetchOne(db, sql: "SELECT version, body FROM booking WHERE reference = ?",
                                      arguments: [booking.reference])
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let arguments: StatementArguments = [booking.reference, booking.version, booking.status.rawValue,
                                             Int64(booking.meeting.start.timeIntervalSince1970), body, nowSeconds]
        guard let stored else {
            try db.execute(sql: "INSERT INTO booking (reference, version, status, meeting_start, body, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: arguments)
            return .created(jobsAdded: try insert(plan, for: booking, now: nowSeconds, db))
        }
        let storedVersion: Int = stored["version"]
        if booking.version == storedVersion {
            if stored["body"] == body { return .unchanged }
            throw StoreError(.stale, "\(booking.reference) version \(booking.version) is already stored with other content; send a higher version to change it",
                             reference: booking.reference)
        }
        if booking.version < storedVersion {
            throw StoreError(.stale, "\(booking.reference) version \(booking.version) is older than the stored version \(storedVersion)",
                             reference: booking.reference)
        }
        try db.execute(sql: "UPDATE booking SET version = ?, status = ?, meeting_start = ?, body = ?, updated_at = ? WHERE reference = ?",
                       arguments: [booking.version, booking.status.rawValue, Int64(booking.meeting.start.timeIntervalSince1970),
                                   body, nowSeconds, booking.reference])
        let keys = plan.map(\.dedupeKey)
        let keyList = keys.isEmpty ? "''" : keys.map { _ in "?" }.joined(separator: ",")
        var cancelArguments: StatementArguments = [nowSeconds, booking.reference]
        cancelArguments += StatementArguments(keys)
        try db.execute(sql: """
            UPDATE job SET state = 'cancelled', updated_at = ?
            WHERE booking_reference = ? AND state IN ('pending', 'retry') AND dedupe_key NOT IN (\(keyList))
            """, arguments: cancelArguments)
        let cancelled = db.changesCount
        let added = try insert(plan, for: booking, now: nowSeconds, db)
        return .updated(fromVersion: storedVersion, jobsAdded: added, jobsCancelled: cancelled)
    }

    private func insert(_ plan: [NewJob], for booking: Booking, now: Int64, _ db: Database) throws -> Int {
        var added = 0
        for job in plan {
            try db.execute(sql: """
                INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, due_at, state, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT(dedupe_key) DO NOTHING
                """, arguments: [job.dedupeKey, booking.reference, booking.version, job.message, job.role,
                                 job.partyIndex, Int64(job.due.timeIntervalSince1970), now])
            added += db.changesCount
        }
        return added
    }

    /// The stored booking with this reference, or `nil`.
    public func booking(_ reference: String) throws(StoreError) -> Booking? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT body FROM booking WHERE reference = ?", arguments: [reference])
                .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
        }
    }

    /// Every stored booking, by meeting start.
    public func bookings() throws(StoreError) -> [Booking] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT body FROM booking ORDER BY meeting_start, reference")
                .map { try Self.decoder.decode(Booking.self, from: Data($0.utf8)) }
        }
    }
}
