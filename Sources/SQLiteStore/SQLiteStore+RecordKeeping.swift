public import Foundation
import GRDB
import MediationDomain
public import Store

extension SQLiteStore {
    public func purge(_ cutoffs: RetentionCutoffs, now: Date, dryRun: Bool) async throws(StoreError) -> PurgeReport {
        let report = try await write("purge") { db -> PurgeReport in
            var references: [String] = []
            if let cutoff = cutoffs.personalData {
                let at = JobRecord.seconds(cutoff)
                // Past the meeting's end, or the cancellation, by the cutoff.
                references = try String.fetchAll(db.cachedStatement(sql: """
                    SELECT reference FROM booking WHERE purged_at IS NULL
                    AND ((status = 'booked' AND meeting_end < ?) OR (status = 'cancelled' AND updated_at < ?)) ORDER BY reference
                    """), arguments: [at, at])
            }
            let renderedBefore = cutoffs.renderedCopies.map(JobRecord.seconds)
            var rendered = 0
            if let renderedBefore {
                rendered = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery WHERE rendered IS NOT NULL AND at < ?",
                                            arguments: [renderedBefore]) ?? 0
            }
            guard !dryRun else { return PurgeReport(bookings: references, renderedCopies: rendered) }
            for reference in references { try Self.erase(reference, now: now, db) }
            if let renderedBefore {
                try db.execute(sql: "UPDATE delivery SET rendered = NULL WHERE rendered IS NOT NULL AND at < ?", arguments: [renderedBefore])
            }
            return PurgeReport(bookings: references, renderedCopies: rendered)
        }
        if !dryRun && (!report.bookings.isEmpty || report.renderedCopies > 0) { checkpoint() }
        return report
    }

    public func erase(_ reference: String, now: Date) async throws(StoreError) -> Bool {
        let found = try await write("erase \(reference)") { db -> Bool in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM booking WHERE reference = ?", arguments: [reference]) != nil else { return false }
            try Self.erase(reference, now: now, db)
            return true
        }
        if found { checkpoint() }
        return found
    }

    /// Erases one booking's personal data in the open transaction: its
    /// body scrubbed, earlier versions dropped, what is still to send
    /// cancelled, relay replies and alert details (which may quote an
    /// address) cleared. Message kinds, roles, times, outcomes and reply
    /// codes stay, for the service's reports.
    static func erase(_ reference: String, now: Date, _ db: Database) throws {
        guard let record = try BookingRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM booking WHERE reference = ?"),
                                                      arguments: [reference]) else { return }
        let erased = BookingBody.encode(try record.booking().erasingPersonalData())
        let seconds = JobRecord.seconds(now)
        try db.execute(sql: "UPDATE booking SET body = ?, purged_at = ? WHERE reference = ?", arguments: [erased, seconds, reference])
        try db.execute(sql: "DELETE FROM booking_version WHERE reference = ?", arguments: [reference])
        try db.execute(sql: """
            UPDATE job SET state = 'cancelled', last_error = 'its booking was erased', updated_at = ?
            WHERE booking_reference = ? AND (\(JobRecord.waitingSQL) OR state = 'held')
            """, arguments: [seconds, reference])
        try db.execute(sql: "UPDATE job SET last_error = NULL WHERE booking_reference = ? AND state != 'cancelled'", arguments: [reference])
        try db.execute(sql: """
            UPDATE delivery SET reply = '', rendered = NULL WHERE job_id IN (SELECT id FROM job WHERE booking_reference = ?)
            """, arguments: [reference])
        try db.execute(sql: "UPDATE staff_alert SET detail = '' WHERE reference = ?", arguments: [reference])
        try db.execute(sql: "DELETE FROM bounced_address WHERE booking_reference = ?", arguments: [reference])
    }

    /// Moves the WAL's pages into the database and empties the WAL, so
    /// erased text is not left in the WAL's old page images.
    private func checkpoint() {
        _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    public func export(_ reference: String) async throws(StoreError) -> BookingRecordExport? {
        try await read("export \(reference)") { db -> BookingRecordExport? in
            guard let current = try Row.fetchOne(db, sql: "SELECT version, body, updated_at FROM booking WHERE reference = ?",
                                                 arguments: [reference]) else { return nil }
            func date(_ seconds: Int64?) -> Date? { seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
            var versions = try Row.fetchAll(db, sql: "SELECT version, body, stored_at FROM booking_version WHERE reference = ? ORDER BY version",
                                            arguments: [reference]).map {
                BookingRecordExport.Version(version: $0["version"], storedAt: date($0["stored_at"])!, body: $0["body"])
            }
            versions.append(.init(version: current["version"], storedAt: date(current["updated_at"])!, body: current["body"]))
            let calls = try Row.fetchAll(db, sql: "SELECT with_roles, state, start_at, end_at FROM call WHERE booking_reference = ? ORDER BY id",
                                         arguments: [reference]).map {
                BookingRecordExport.Call(with: (($0["with_roles"] as String?) ?? "").split(separator: ",").map(String.init),
                                         state: $0["state"], start: date($0["start_at"]), end: date($0["end_at"]))
            }
            let jobs = try JobRecord.fetchAll(db, sql: "SELECT * FROM job WHERE booking_reference = ? ORDER BY id", arguments: [reference])
            let emails = try jobs.map { job in
                let deliveries = try Row.fetchAll(db, sql: "SELECT at, outcome, code, reply, rendered FROM delivery WHERE job_id = ? ORDER BY id",
                                                  arguments: [job.id]).map {
                    BookingRecordExport.Delivery(at: date($0["at"])!, outcome: $0["outcome"], code: $0["code"], reply: $0["reply"],
                                                 rendered: $0["rendered"])
                }
                let recipient = job.partyIndex.map { "\(job.role) (party \($0))" } ?? job.role
                return BookingRecordExport.Email(id: job.id ?? 0, message: job.message, recipient: recipient, state: job.state,
                                                 due: JobRecord.date(job.dueAt), messageID: job.messageId, deliveries: deliveries)
            }
            return BookingRecordExport(reference: reference, versions: versions, calls: calls, emails: emails)
        }
    }

    public func audit(_ entry: AuditEntry) async throws(StoreError) {
        try await write("audit") { db in
            try db.execute(sql: "INSERT INTO audit (at, actor, action, target) VALUES (?, ?, ?, ?)",
                           arguments: [JobRecord.seconds(entry.at), entry.actor, entry.action, entry.target])
        }
    }

    public func auditTrail(from: Date?, limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await read("audit trail") { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, action, target FROM audit WHERE at >= ? ORDER BY id LIMIT ?",
                             arguments: [from.map(JobRecord.seconds) ?? 0, limit]).map {
                AuditEntry(at: Date(timeIntervalSince1970: TimeInterval($0["at"] as Int64)), actor: $0["actor"], action: $0["action"],
                           target: $0["target"])
            }
        }
    }
}
