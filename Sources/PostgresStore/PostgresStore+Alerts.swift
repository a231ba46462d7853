public import Foundation
public import MediationDomain
import PostgresNIO
public import Store

extension PostgresStore {
    public func raise(_ alerts: [StaffAlert], now: Date) async throws(StoreError) -> [ScheduledJob] {
        guard !alerts.isEmpty else { return [] }
        return try await write("raise alerts") { session in
            let digests = try await Self.raise(alerts, now: now, session)
            try await session.announce(digests)
            return digests
        }
    }

    /// Records alerts in the open transaction, each on the waiting digest
    /// job of its cause (made if there is none: due now, or an hour after
    /// the last digest of the cause went). A lock per cause keeps two
    /// instances from making two digests.
    static func raise(_ alerts: [StaffAlert], now: Date, _ session: Session) async throws -> [ScheduledJob] {
        let at = StoredValue.seconds(now)
        var digests: [String: ScheduledJob] = [:]
        for alert in alerts {
            let digest: ScheduledJob
            if let known = digests[alert.cause] {
                digest = known
            } else {
                try await session.run("SELECT pg_advisory_xact_lock(hashtextextended(\("mdrsd.alert." + alert.cause), 0))")
                if let waiting = try await session.row("""
                    SELECT id, due_at FROM job WHERE alert_cause = \(alert.cause) AND state IN ('pending', 'retry') ORDER BY id LIMIT 1
                    """, { ScheduledJob(id: try $0[0].decode(Int64.self), due: StoredValue.date(try $0[1].decode(Int64.self))) }) {
                    digest = waiting
                } else {
                    let lastSent = try await session.value("""
                        SELECT MAX(updated_at) FROM job WHERE alert_cause = \(alert.cause) AND state = 'sent'
                        """, Int64.self)
                    let due = max(at, (lastSent ?? 0) + 3600)
                    // The sequence's next value makes the key unique, as the id does in SQLite.
                    let sequence = try await session.value("SELECT nextval(pg_get_serial_sequence('job', 'id'))", Int64.self) ?? 1
                    let key = DedupeKey.alertDigest(cause: alert.cause, sequence: sequence)
                    try await session.run("""
                        INSERT INTO job (id, dedupe_key, booking_reference, booking_version, message, role, party_index, due_at, state,
                                         attempts, updated_at, alert_cause)
                        VALUES (\(sequence), \(key), '', 0, \(MessageKind.adminAlert.rawValue), 'staff', NULL, \(due), 'pending', 0, \(at),
                                \(alert.cause))
                        """)
                    digest = ScheduledJob(id: sequence, due: StoredValue.date(due))
                }
            }
            digests[alert.cause] = digest
            try await session.run("""
                INSERT INTO staff_alert (cause, reference, summary, detail, raised_at, job_id)
                VALUES (\(alert.cause), \(alert.reference), \(alert.summary), \(alert.detail), \(at), \(digest.id))
                """)
        }
        return Array(digests.values)
    }

    public func alerts(inDigest jobID: Int64) async throws(StoreError) -> [RaisedAlert] {
        try await read("alerts") { session in
            try await session.rows("SELECT cause, reference, summary, detail, raised_at FROM staff_alert WHERE job_id = \(jobID) ORDER BY id") {
                RaisedAlert(alert: StaffAlert(cause: try $0[0].decode(String.self), reference: try $0[1].decode(String?.self),
                                              summary: try $0[2].decode(String.self), detail: try $0[3].decode(String.self)),
                            raisedAt: StoredValue.date(try $0[4].decode(Int64.self)))
            }
        }
    }

    public func deliveries(from: Date, to: Date) async throws(StoreError) -> [Delivery] {
        try await read("deliveries") { session in
            let entries = try await session.rows("""
                SELECT job_id, at, outcome, code, reply, rendered FROM delivery
                WHERE at >= \(StoredValue.seconds(from)) AND at <= \(StoredValue.seconds(to)) ORDER BY id
                """) { row in
                (job: try row[0].decode(Int64.self), at: try row[1].decode(Int64.self), outcome: try row[2].decode(String.self),
                 code: try row[3].decode(Int64?.self), reply: try row[4].decode(String.self), rendered: try row[5].decode(String?.self))
            }
            var jobs: [Int64: Job] = [:]
            let ids = Array(Set(entries.map(\.job)))
            for row in try await session.jobs("SELECT \(unescaped: Columns.jobSQL) FROM job WHERE id = ANY(\(ids))") {
                jobs[row.id] = try row.job()
            }
            return try entries.map { entry in
                guard let job = jobs[entry.job] else {
                    throw StoreError(.database, "a delivery names job \(entry.job), which does not exist")
                }
                return Delivery(at: StoredValue.date(entry.at), job: job, outcome: entry.outcome, code: entry.code.map(Int.init),
                                reply: entry.reply, rendered: entry.rendered)
            }
        }
    }

    public func lastDelivery() async throws(StoreError) -> (at: Date, outcome: String)? {
        try await read("last delivery") { session in
            try await session.row("SELECT at, outcome FROM delivery ORDER BY id DESC LIMIT 1") {
                (StoredValue.date(try $0[0].decode(Int64.self)), try $0[1].decode(String.self))
            }
        }
    }
}
