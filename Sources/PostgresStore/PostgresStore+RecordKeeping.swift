public import Foundation
import MediationDomain
import PostgresNIO
public import Store

extension PostgresStore {
    /// Every instance runs the daily purge; the first to start it does it,
    /// and one that finds it under way reports nothing to do.
    public func purge(_ cutoffs: RetentionCutoffs, now: Date, dryRun: Bool) async throws(StoreError) -> PurgeReport {
        try await write("purge") { session in
            if !dryRun, try await session.value("SELECT pg_try_advisory_xact_lock(hashtextextended('mdrsd.purge', 0))", Bool.self) != true {
                return PurgeReport(bookings: [], renderedCopies: 0)
            }
            var references: [String] = []
            if let cutoff = cutoffs.personalData {
                let at = StoredValue.seconds(cutoff)
                references = try await session.values("""
                    SELECT reference FROM booking WHERE purged_at IS NULL
                    AND ((status = 'booked' AND meeting_end < \(at)) OR (status = 'cancelled' AND updated_at < \(at))) ORDER BY reference
                    """, String.self)
            }
            var rendered = 0
            let renderedBefore = cutoffs.renderedCopies.map(StoredValue.seconds)
            if let renderedBefore {
                rendered = Int(try await session.value("""
                    SELECT COUNT(*) FROM delivery WHERE rendered IS NOT NULL AND at < \(renderedBefore)
                    """, Int64.self) ?? 0)
            }
            guard !dryRun else { return PurgeReport(bookings: references, renderedCopies: rendered) }
            for reference in references { try await Self.erase(reference, now: now, session) }
            if let renderedBefore {
                try await session.run("UPDATE delivery SET rendered = NULL WHERE rendered IS NOT NULL AND at < \(renderedBefore)")
            }
            return PurgeReport(bookings: references, renderedCopies: rendered)
        }
    }

    public func erase(_ reference: String, now: Date) async throws(StoreError) -> Bool {
        try await write("erase \(reference)") { session in
            guard try await session.value("SELECT 1 FROM booking WHERE reference = \(reference)", Int32.self) != nil else { return false }
            try await Self.erase(reference, now: now, session)
            return true
        }
    }

    /// Erases one booking's personal data in the open transaction, as the
    /// SQLite store does: body scrubbed, earlier versions dropped, what is
    /// still to send cancelled, replies and alert details cleared.
    static func erase(_ reference: String, now: Date, _ session: Session) async throws {
        guard let body = try await session.value("SELECT body FROM booking WHERE reference = \(reference) FOR UPDATE", String.self) else {
            return
        }
        let erased = BookingBody.encode(try StoredValue.booking(body, reference: reference).erasingPersonalData())
        let at = StoredValue.seconds(now)
        try await session.run("UPDATE booking SET body = \(erased), purged_at = \(at) WHERE reference = \(reference)")
        try await session.run("DELETE FROM booking_version WHERE reference = \(reference)")
        try await session.run("""
            UPDATE job SET state = 'cancelled', last_error = 'its booking was erased', updated_at = \(at)
            WHERE booking_reference = \(reference) AND state IN ('pending', 'retry', 'held')
            """)
        try await session.run("UPDATE job SET last_error = NULL WHERE booking_reference = \(reference) AND state <> 'cancelled'")
        try await session.run("""
            UPDATE delivery SET reply = '', rendered = NULL WHERE job_id IN (SELECT id FROM job WHERE booking_reference = \(reference))
            """)
        try await session.run("UPDATE staff_alert SET detail = '' WHERE reference = \(reference)")
        try await session.run("DELETE FROM bounced_address WHERE booking_reference = \(reference)")
    }

    public func export(_ reference: String) async throws(StoreError) -> BookingRecordExport? {
        try await read("export \(reference)") { session in
            guard let current = try await session.row("SELECT version, body, updated_at FROM booking WHERE reference = \(reference)", {
                BookingRecordExport.Version(version: Int(try $0[0].decode(Int64.self)), storedAt: StoredValue.date(try $0[2].decode(Int64.self)),
                                            body: try $0[1].decode(String.self))
            }) else { return nil }
            var versions = try await session.rows("""
                SELECT version, body, stored_at FROM booking_version WHERE reference = \(reference) ORDER BY version
                """) {
                BookingRecordExport.Version(version: Int(try $0[0].decode(Int64.self)), storedAt: StoredValue.date(try $0[2].decode(Int64.self)),
                                            body: try $0[1].decode(String.self))
            }
            versions.append(current)
            let calls = try await session.rows("""
                SELECT with_roles, state, start_at, end_at FROM call WHERE booking_reference = \(reference) ORDER BY id
                """) {
                BookingRecordExport.Call(with: try $0[0].decode(String.self).split(separator: ",").map(String.init),
                                         state: try $0[1].decode(String.self), start: try $0[2].decode(Int64?.self).map(StoredValue.date),
                                         end: try $0[3].decode(Int64?.self).map(StoredValue.date))
            }
            var emails: [BookingRecordExport.Email] = []
            for row in try await session.jobs("SELECT \(unescaped: Columns.jobSQL) FROM job WHERE booking_reference = \(reference) ORDER BY id") {
                let deliveries = try await session.rows("""
                    SELECT at, outcome, code, reply, rendered FROM delivery WHERE job_id = \(row.id) ORDER BY id
                    """) {
                    BookingRecordExport.Delivery(at: StoredValue.date(try $0[0].decode(Int64.self)), outcome: try $0[1].decode(String.self),
                                                 code: try $0[2].decode(Int64?.self).map(Int.init), reply: try $0[3].decode(String.self),
                                                 rendered: try $0[4].decode(String?.self))
                }
                let recipient = row.partyIndex.map { "\(row.role) (party \($0))" } ?? row.role
                emails.append(BookingRecordExport.Email(id: row.id, message: row.message, recipient: recipient, state: row.state,
                                                        due: StoredValue.date(row.dueAt), messageID: row.messageID, deliveries: deliveries))
            }
            return BookingRecordExport(reference: reference, versions: versions, calls: calls, emails: emails)
        }
    }

    public func audit(_ entry: AuditEntry) async throws(StoreError) {
        try await write("audit") { session in
            try await session.run("""
                INSERT INTO audit (at, actor, action, target) VALUES (\(StoredValue.seconds(entry.at)), \(entry.actor), \(entry.action),
                                                                      \(entry.target))
                """)
        }
    }

    public func auditTrail(from: Date?, limit: Int) async throws(StoreError) -> [AuditEntry] {
        try await read("audit trail") { session in
            try await session.rows("""
                SELECT at, actor, action, target FROM audit WHERE at >= \(from.map(StoredValue.seconds) ?? 0) ORDER BY id LIMIT \(Int64(limit))
                """) {
                AuditEntry(at: StoredValue.date(try $0[0].decode(Int64.self)), actor: try $0[1].decode(String.self),
                           action: try $0[2].decode(String.self), target: try $0[3].decode(String.self))
            }
        }
    }
}
