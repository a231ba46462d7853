public import Foundation
import GRDB
public import MediationDomain
public import Store

extension SQLiteStore {
    public func job(_ id: Int64) async throws(StoreError) -> Job? {
        try await read("job") { db in try Self.job(id, db) }
    }

    /// Counts `n` new jobs as pending (every job is inserted pending; the
    /// store counts its inserts itself, see migration v5).
    static func countInserted(_ n: Int, _ db: Database) throws {
        guard n > 0 else { return }
        try db.cachedStatement(sql: """
            INSERT INTO job_count (state, n) VALUES ('pending', ?) ON CONFLICT (state) DO UPDATE SET n = n + excluded.n
            """).execute(arguments: [n])
    }

    /// One job by id, through a statement prepared once.
    static func job(_ id: Int64, _ db: Database) throws -> Job? {
        try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM job WHERE id = ?"), arguments: [id])?.job()
    }

    public func jobs(_ query: JobQuery, after cursor: JobCursor?, limit: Int) async throws(StoreError) -> [Job] {
        try await read("list jobs") { db in
            var request = JobRecord.all()
            if let booking = query.booking { request = request.filter(JobRecord.Columns.bookingReference == booking) }
            if let states = query.states { request = request.filter(states.map(\.rawValue).contains(JobRecord.Columns.state)) }
            if let before = query.dueBefore { request = request.filter(JobRecord.Columns.dueAt < JobRecord.seconds(before)) }
            if let cursor {
                let due = JobRecord.seconds(cursor.due)
                request = request.filter(JobRecord.Columns.dueAt > due || (JobRecord.Columns.dueAt == due && JobRecord.Columns.id > cursor.id))
            }
            return try request.order(JobRecord.Columns.dueAt, JobRecord.Columns.id).limit(limit).fetchAll(db).map { try $0.job() }
        }
    }

    public func due(before horizon: Date) async throws(StoreError) -> [ScheduledJob] {
        try await read("jobs due") { db in
            // (id, due) only, through the (state, due_at) index.
            try Row.fetchAll(db, sql: "SELECT id, due_at FROM job WHERE \(JobRecord.waitingSQL) AND due_at < ?",
                             arguments: [JobRecord.seconds(horizon)])
                .map { ScheduledJob(id: $0[0], due: JobRecord.date($0[1])) }
        }
    }

    public func counts() async throws(StoreError) -> [JobState: Int] {
        try await read("count jobs") { db in
            var counts: [JobState: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT state, n FROM job_count WHERE n > 0")) {
                let name: String = row[0]
                guard let state = JobState(rawValue: name) else { throw StoreError(.database, "jobs with an unknown state '\(name)'") }
                counts[state] = row[1]
            }
            return counts
        }
    }

    public func nextDue() async throws(StoreError) -> Date? {
        try await read("next due") { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM job WHERE \(JobRecord.waitingSQL)").map(JobRecord.date)
        }
    }

    public func claim(_ id: Int64, now: Date, leaseUntil: Date) async throws(StoreError) -> Job? {
        try await relaxedWrite("claim") { db in
            try JobRecord.fetchOne(db.cachedStatement(sql: """
                UPDATE job SET state = 'sending', attempts = attempts + 1, updated_at = ?, lease_until = ?
                WHERE id = ? AND \(JobRecord.waitingSQL) AND due_at <= ?
                RETURNING *
                """), arguments: [JobRecord.seconds(now), JobRecord.seconds(leaseUntil), id, JobRecord.seconds(now)])?.job()
        }
    }

    public func finish(_ id: Int64, _ outcome: JobOutcome, now: Date) async throws(StoreError) {
        try await relaxedWrite("finish") { db in
            let nowSeconds = JobRecord.seconds(now)
            let messageID = try String.fetchOne(db.cachedStatement(sql: """
                UPDATE job SET state = ?, last_error = ?, due_at = COALESCE(?, due_at), updated_at = ?, attempts = attempts - ?,
                    wait_reason = ?, lease_until = NULL, message_id = COALESCE(?, message_id)
                WHERE id = ?
                RETURNING message_id
                """), arguments: [outcome.state.rawValue, outcome.state == .sent ? nil : outcome.reply,
                                  outcome.retryAt.map(JobRecord.seconds), nowSeconds, outcome.countsAsAttempt ? 0 : 1,
                                  outcome.state == .retry ? outcome.waitReason?.rawValue : nil, outcome.messageID, id])
            try DeliveryRecord(id: nil, jobId: id, at: nowSeconds, messageId: messageID ?? "", outcome: outcome.state.rawValue,
                               code: outcome.code, reply: outcome.reply, rendered: outcome.rendered).insert(db)
        }
    }

    public func release(_ id: Int64, until due: Date, reason: WaitReason, note: String, now: Date) async throws(StoreError) {
        try await relaxedWrite("release") { db in
            // Back to the state it was claimed from: a job tried before is a retry.
            try db.cachedStatement(sql: """
                UPDATE job SET state = CASE WHEN attempts > 1 THEN 'retry' ELSE 'pending' END, attempts = attempts - 1, due_at = ?,
                    last_error = ?, wait_reason = ?, updated_at = ?, lease_until = NULL
                WHERE id = ? AND state = 'sending'
                """).execute(arguments: [JobRecord.seconds(due), note, reason.rawValue, JobRecord.seconds(now), id])
        }
    }

    public func nextLeaseEnd() async throws(StoreError) -> Date? {
        try await read("next lease end") { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(lease_until) FROM job WHERE state = 'sending'").map(JobRecord.date)
        }
    }

    public func requeue(_ id: Int64, now: Date) async throws(StoreError) -> Job? {
        try await write("requeue") { db in
            guard let job = try Self.job(id, db) else { return nil }
            guard [.dead, .skipped, .retry, .pending].contains(job.state) else {
                throw StoreError(.wrongState, "job \(id) is \(job.state.rawValue); only dead, skipped or waiting jobs can be retried")
            }
            let nowSeconds = JobRecord.seconds(now)
            try db.execute(sql: "UPDATE job SET state = 'pending', attempts = 0, due_at = ?, updated_at = ?, wait_reason = NULL WHERE id = ?",
                           arguments: [nowSeconds, nowSeconds, id])
            try DeliveryRecord(id: nil, jobId: id, at: nowSeconds, messageId: job.messageID ?? "", outcome: "requeued", code: nil,
                               reply: "requeued by an administrator", rendered: nil).insert(db)
            return try Self.job(id, db)
        }
    }

    public func recoverInterruptedSends(now: Date, all: Bool) async throws(StoreError) -> Int {
        try await write("recover sends") { db in
            try db.execute(sql: """
                UPDATE job SET state = 'retry', updated_at = ?, lease_until = NULL
                WHERE state = 'sending' AND (? OR lease_until IS NULL OR lease_until <= ?)
                """, arguments: [JobRecord.seconds(now), all, JobRecord.seconds(now)])
            return db.changesCount
        }
    }

    public func retryConfigurationWaits(now: Date) async throws(StoreError) -> [ScheduledJob] {
        try await write("retry configuration waits") { db in
            try Row.fetchAll(db, sql: """
                UPDATE job SET due_at = ?, updated_at = ?, wait_reason = NULL
                WHERE state = 'retry' AND wait_reason = 'configuration'
                RETURNING id, due_at
                """, arguments: [JobRecord.seconds(now), JobRecord.seconds(now)])
                .map { ScheduledJob(id: $0[0], due: JobRecord.date($0[1])) }
        }
    }
}
