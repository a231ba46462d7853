public import Foundation
public import MediationDomain
import PostgresNIO
public import Store

extension PostgresStore {
    public func job(_ id: Int64) async throws(StoreError) -> Job? {
        try await read("job") { session in try await session.job("SELECT \(unescaped: Columns.jobSQL) FROM job WHERE id = \(id)") }
    }

    public func jobs(_ query: JobQuery, after cursor: JobCursor?, limit: Int) async throws(StoreError) -> [Job] {
        var filter = Filter()
        if let booking = query.booking { filter.add("booking_reference = ?", booking) }
        if let states = query.states { filter.add("state = ANY(?)", states.map(\.rawValue)) }
        if let before = query.dueBefore { filter.add("due_at < ?", StoredValue.seconds(before)) }
        if let cursor { filter.add("(due_at, id) > (?, ?)", StoredValue.seconds(cursor.due), cursor.id) }
        let statement = filter.query("SELECT \(Columns.jobSQL) FROM job", then: "ORDER BY due_at, id LIMIT \(limit)")
        return try await read("list jobs") { session in try await session.jobs(statement).map { try $0.job() } }
    }

    public func due(before horizon: Date) async throws(StoreError) -> [ScheduledJob] {
        try await read("jobs due") { session in
            try await session.rows("""
                SELECT id, due_at FROM job WHERE state IN ('pending', 'retry') AND due_at < \(StoredValue.seconds(horizon))
                """) { ScheduledJob(id: try $0[0].decode(Int64.self), due: StoredValue.date(try $0[1].decode(Int64.self))) }
        }
    }

    public func counts() async throws(StoreError) -> [JobState: Int] {
        try await read("count jobs") { session in
            var counts: [JobState: Int] = [:]
            for (name, n) in try await session.rows("SELECT state, COUNT(*) FROM job GROUP BY state", {
                (try $0[0].decode(String.self), try $0[1].decode(Int64.self))
            }) {
                guard let state = JobState(rawValue: name) else { throw StoreError(.database, "jobs with an unknown state '\(name)'") }
                counts[state] = Int(n)
            }
            return counts
        }
    }

    public func nextDue() async throws(StoreError) -> Date? {
        try await read("next due") { session in
            try await session.value("SELECT MIN(due_at) FROM job WHERE state IN ('pending', 'retry')", Int64.self).map(StoredValue.date)
        }
    }

    public func claim(_ id: Int64, now: Date, leaseUntil: Date) async throws(StoreError) -> Job? {
        let at = StoredValue.seconds(now)
        // One statement, committed as it runs. SKIP LOCKED: a job another
        // instance is claiming is theirs; never wait for it.
        return try await statement("claim") { session in
            try await session.job("""
                UPDATE job SET state = 'sending', attempts = attempts + 1, updated_at = \(at),
                    lease_until = \(StoredValue.seconds(leaseUntil)), lease_owner = \(instance)
                WHERE id = (SELECT id FROM job WHERE id = \(id) AND state IN ('pending', 'retry') AND due_at <= \(at) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Columns.jobSQL)
                """)
        }
    }

    /// One statement: the job's new state, its delivery log entry and, for
    /// a retry, the other instances told of its new time.
    public func finish(_ id: Int64, _ outcome: JobOutcome, now: Date) async throws(StoreError) {
        let at = StoredValue.seconds(now)
        try await statement("finish") { session in
            try await session.run("""
                WITH finished AS (
                    UPDATE job SET state = \(outcome.state.rawValue), last_error = \(outcome.state == .sent ? nil : outcome.reply),
                        due_at = COALESCE(\(outcome.retryAt.map(StoredValue.seconds)), due_at), updated_at = \(at),
                        attempts = attempts - \(outcome.countsAsAttempt ? 0 : 1),
                        wait_reason = \(outcome.state == .retry ? outcome.waitReason?.rawValue : nil), lease_until = NULL, lease_owner = NULL,
                        message_id = COALESCE(\(outcome.messageID), message_id)
                    WHERE id = \(id)
                    RETURNING id, message_id, state, due_at
                ), logged AS (
                    INSERT INTO delivery (job_id, at, message_id, outcome, code, reply, rendered)
                    SELECT id, \(at), COALESCE(message_id, ''), \(outcome.state.rawValue), \(outcome.code.map(Int64.init)), \(outcome.reply),
                           \(outcome.rendered)
                    FROM finished
                )
                SELECT pg_notify(\(Changes.channel), id || ':' || due_at) FROM finished WHERE state = 'retry'
                """)
        }
    }

    public func release(_ id: Int64, until due: Date, reason: WaitReason, note: String, now: Date) async throws(StoreError) {
        try await statement("release") { session in
            try await session.run("""
                WITH released AS (
                    UPDATE job SET state = CASE WHEN attempts > 1 THEN 'retry' ELSE 'pending' END, attempts = attempts - 1,
                        due_at = \(StoredValue.seconds(due)), last_error = \(note), wait_reason = \(reason.rawValue),
                        updated_at = \(StoredValue.seconds(now)), lease_until = NULL, lease_owner = NULL
                    WHERE id = \(id) AND state = 'sending'
                    RETURNING id, due_at
                )
                SELECT pg_notify(\(Changes.channel), id || ':' || due_at) FROM released
                """)
        }
    }

    public func nextLeaseEnd() async throws(StoreError) -> Date? {
        try await read("next lease end") { session in
            try await session.value("""
                SELECT MIN(lease_until) FROM job WHERE state = 'sending' AND lease_owner IS DISTINCT FROM \(instance)
                """, Int64.self).map(StoredValue.date)
        }
    }

    public func requeue(_ id: Int64, now: Date) async throws(StoreError) -> Job? {
        let at = StoredValue.seconds(now)
        return try await write("requeue") { session in
            guard let job = try await session.job("SELECT \(unescaped: Columns.jobSQL) FROM job WHERE id = \(id) FOR UPDATE") else {
                return nil
            }
            guard [.dead, .skipped, .retry, .pending].contains(job.state) else {
                throw StoreError(.wrongState, "job \(id) is \(job.state.rawValue); only dead, skipped or waiting jobs can be retried")
            }
            let requeued = try await session.job("""
                UPDATE job SET state = 'pending', attempts = 0, due_at = \(at), updated_at = \(at), wait_reason = NULL WHERE id = \(id)
                RETURNING \(unescaped: Columns.jobSQL)
                """)
            try await session.run("""
                INSERT INTO delivery (job_id, at, message_id, outcome, code, reply, rendered)
                VALUES (\(id), \(at), \(job.messageID ?? ""), 'requeued', NULL, 'requeued by an administrator', NULL)
                """)
            try await session.announce([ScheduledJob(id: id, due: now)])
            return requeued
        }
    }

    /// `all`: this instance's own claims (it is starting up) as well as any
    /// whose lease ended; otherwise only other instances' ended leases.
    public func recoverInterruptedSends(now: Date, all: Bool) async throws(StoreError) -> Int {
        let at = StoredValue.seconds(now)
        return try await write("recover sends") { session in
            let requeued = try await session.rows("""
                UPDATE job SET state = 'retry', updated_at = \(at), lease_until = NULL, lease_owner = NULL
                WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= \(at) OR (\(all) AND lease_owner = \(instance)))
                    AND (\(all) OR lease_owner IS DISTINCT FROM \(instance))
                RETURNING id, due_at
                """) { ScheduledJob(id: try $0[0].decode(Int64.self), due: StoredValue.date(try $0[1].decode(Int64.self))) }
            try await session.announce(requeued)
            return requeued.count
        }
    }

    public func retryConfigurationWaits(now: Date) async throws(StoreError) -> [ScheduledJob] {
        let at = StoredValue.seconds(now)
        return try await write("retry configuration waits") { session in
            let jobs = try await session.rows("""
                UPDATE job SET due_at = \(at), updated_at = \(at), wait_reason = NULL
                WHERE state = 'retry' AND wait_reason = 'configuration'
                RETURNING id, due_at
                """) { ScheduledJob(id: try $0[0].decode(Int64.self), due: StoredValue.date(try $0[1].decode(Int64.self))) }
            try await session.announce(jobs)
            return jobs
        }
    }
}
