public import Foundation
import GRDB
public import MediationDomain
public import Store

extension SQLiteStore {
    public func raise(_ alerts: [StaffAlert], now: Date) async throws(StoreError) -> [ScheduledJob] {
        guard !alerts.isEmpty else { return [] }
        return try await write("raise alerts") { db in try Self.raise(alerts, now: now, db) }
    }

    /// Records alerts in the open transaction, each on the waiting digest
    /// job of its cause (made if there is none: due now, or an hour after
    /// the last digest of the cause went).
    static func raise(_ alerts: [StaffAlert], now: Date, _ db: Database) throws -> [ScheduledJob] {
        var digests: [String: ScheduledJob] = [:]
        for alert in alerts {
            let digest: ScheduledJob
            if let known = digests[alert.cause] {
                digest = known
            } else if let waiting = try JobRecord.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM job WHERE alert_cause = ? AND \(JobRecord.waitingSQL) ORDER BY id LIMIT 1
                """), arguments: [alert.cause]), let id = waiting.id {
                digest = ScheduledJob(id: id, due: JobRecord.date(waiting.dueAt))
            } else {
                let lastSent = try Int64.fetchOne(db, sql: "SELECT MAX(updated_at) FROM job WHERE alert_cause = ? AND state = 'sent'",
                                                  arguments: [alert.cause])
                let due = max(JobRecord.seconds(now), (lastSent ?? 0) + 3600)
                // Ids only grow, so the next one makes the key unique.
                let sequence = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM job") ?? 1)
                let planned = PlannedMessage(key: DedupeKey.alertDigest(cause: alert.cause, sequence: sequence), message: .adminAlert,
                                             recipient: .staff, due: JobRecord.date(due))
                var record = JobRecord(planned, booking: nil, now: now)
                record.alertCause = alert.cause
                try record.insert(db)
                try countInserted(1, db)
                digest = ScheduledJob(id: record.id!, due: planned.due)
            }
            digests[alert.cause] = digest
            try AlertRecord(id: nil, cause: alert.cause, reference: alert.reference, summary: alert.summary, detail: alert.detail,
                            raisedAt: JobRecord.seconds(now), jobId: digest.id).insert(db)
        }
        return Array(digests.values)
    }

    public func alerts(inDigest jobID: Int64) async throws(StoreError) -> [RaisedAlert] {
        try await read("alerts") { db in
            try AlertRecord.filter(AlertRecord.Columns.jobId == jobID).order(AlertRecord.Columns.id).fetchAll(db).map {
                RaisedAlert(alert: StaffAlert(cause: $0.cause, reference: $0.reference, summary: $0.summary, detail: $0.detail),
                            raisedAt: JobRecord.date($0.raisedAt))
            }
        }
    }
}
