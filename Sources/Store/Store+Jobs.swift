import Foundation
import GRDB

extension Store {
    /// Jobs waiting to be sent (pending or due for retry), by due time.
    public func pendingJobs() throws(StoreError) -> [Job] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job WHERE state IN ('pending', 'retry') ORDER BY due_at, id").map(Self.job)
        }
    }

    /// Puts jobs that were being sent when the daemon stopped back in the
    /// queue, so none is lost. The message may have reached the relay
    /// already; it goes again with the same Message-ID (at least once).
    /// - Returns: how many jobs were requeued.
    @discardableResult
    public func requeueInterruptedSends(now: Date) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "UPDATE job SET state = 'retry', updated_at = ? WHERE state = 'sending'",
                           arguments: [Int64(now.timeIntervalSince1970)])
            return db.changesCount
        }
    }

    /// One job by id, or `nil`.
    public func job(_ id: Int64) throws(StoreError) -> Job? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(Self.job) }
    }

    /// Jobs, optionally for one booking or in one state, by due time.
    public func jobs(booking: String? = nil, state: Job.State? = nil) throws(StoreError) -> [Job] {
        try read { db in
            var sql = "SELECT * FROM job WHERE 1"
            var arguments = StatementArguments()
            if let booking { sql += " AND booking_reference = ?"; arguments += [booking] }
            if let state { sql += " AND state = ?"; arguments += [state.rawValue] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY due_at, id", arguments: arguments).map(Self.job)
        }
    }

    /// Moves a pending job to `sending` and counts the attempt; `nil` when the
    /// job is gone or no longer pending (cancelled, or claimed already).
    public func claim(_ id: Int64, messageID: String, now: Date) throws(StoreError) -> Job? {
        try write { db in
            try db.execute(sql: """
                UPDATE job SET state = 'sending', attempts = attempts + 1, message_id = ?, updated_at = ?
                WHERE id = ? AND state IN ('pending', 'retry')
                """, arguments: [messageID, Int64(now.timeIntervalSince1970), id])
            guard db.changesCount == 1 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    /// Records how an attempt ended, and appends it to the delivery log.
    /// - Parameters:
    ///   - state: `sent`, `retry`, `dead`, `skipped` or `cancelled`.
    ///   - retryAt: the next attempt's time, with `retry`.
    ///   - countsAsAttempt: `false` when the failure was ours (configuration),
    ///     so waiting for an administrator does not use up the retries.
    ///   - rendered: what was handed to the relay (locale, subject, size),
    ///     for the delivery log.
    public func finish(_ id: Int64, state: Job.State, code: Int?, reply: String, retryAt: Date? = nil,
                       countsAsAttempt: Bool = true, rendered: String? = nil, now: Date) throws(StoreError) {
        try write { db in
            let nowSeconds = Int64(now.timeIntervalSince1970)
            let messageID = try String.fetchOne(db, sql: "SELECT message_id FROM job WHERE id = ?", arguments: [id]) ?? ""
            try db.execute(sql: """
                UPDATE job SET state = ?, last_error = ?, due_at = COALESCE(?, due_at), updated_at = ?,
                    attempts = attempts - ? WHERE id = ?
                """, arguments: [state.rawValue, state == .sent ? nil : reply,
                                 retryAt.map { Int64($0.timeIntervalSince1970) }, nowSeconds, countsAsAttempt ? 0 : 1, id])
            try db.execute(sql: "INSERT INTO delivery (job_id, at, message_id, outcome, code, reply, rendered) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, nowSeconds, messageID, state.rawValue, code, reply, rendered])
        }
    }

    static func job(_ row: Row) -> Job {
        Job(id: row["id"], dedupeKey: row["dedupe_key"], bookingReference: row["booking_reference"],
            bookingVersion: row["booking_version"], message: row["message"], role: row["role"],
            partyIndex: row["party_index"], due: Date(timeIntervalSince1970: TimeInterval(row["due_at"] as Int64)),
            state: Job.State(rawValue: row["state"]) ?? .dead, attempts: row["attempts"],
            messageID: row["message_id"], lastError: row["last_error"], mediator: row["mediator"])
    }
}

extension Store {
    /// Moves a waiting job's due time (quiet hours, a rate limit) without
    /// counting an attempt.
    public func postpone(_ id: Int64, until due: Date, reason: String, now: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE job SET due_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND state IN ('pending', 'retry')",
                           arguments: [Int64(due.timeIntervalSince1970), reason, Int64(now.timeIntervalSince1970), id])
        }
    }

    /// Puts a dead, skipped or retrying job back in the queue, due now, with
    /// its attempts reset (`mdrsctl outbox retry`). Returns the job, or
    /// `nil` when there is no such job.
    /// - Throws: ``StoreError`` when the job was sent, is being sent, or was
    ///   cancelled by a newer booking version.
    public func requeue(_ id: Int64, now: Date) throws(StoreError) -> Job? {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]) else { return nil }
            let job = Self.job(row)
            guard [.dead, .skipped, .retry, .pending].contains(job.state) else {
                throw StoreError(.wrongState, "job \(id) is \(job.state.rawValue); only dead, skipped or waiting jobs can be retried")
            }
            let nowSeconds = Int64(now.timeIntervalSince1970)
            try db.execute(sql: "UPDATE job SET state = 'pending', attempts = 0, due_at = ?, updated_at = ? WHERE id = ?",
                           arguments: [nowSeconds, nowSeconds, id])
            try db.execute(sql: "INSERT INTO delivery (job_id, at, message_id, outcome, code, reply) VALUES (?, ?, ?, 'requeued', NULL, ?)",
                           arguments: [id, nowSeconds, job.messageID ?? "", "requeued by an administrator"])
            return try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    /// Waiting jobs changed since `since` (epoch seconds), for a daemon
    /// catching up with another writer such as `mdrsctl`.
    public func waitingJobs(updatedSince since: Int64) throws(StoreError) -> [Job] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM job WHERE state IN ('pending', 'retry') AND updated_at >= ? ORDER BY due_at, id",
                             arguments: [since]).map(Self.job)
        }
    }

    /// How many jobs are in each state.
    public func jobCounts() throws(StoreError) -> [Job.State: Int] {
        try read { db in
            var counts: [Job.State: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                if let state = Job.State(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// The most recent delivery attempt's time, if any.
    public func lastDelivery() throws(StoreError) -> (at: Date, outcome: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT at, outcome FROM delivery ORDER BY id DESC LIMIT 1").map {
                (Date(timeIntervalSince1970: TimeInterval($0["at"] as Int64)), $0["outcome"])
            }
        }
    }

    /// A change counter that moves whenever another connection (another
    /// process) commits to the database.
    public func externalChangeCounter() throws(StoreError) -> Int {
        try write { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
    }
}

extension Store {
    /// One entry of the delivery log, with its job.
    public struct Delivery: Sendable {
        public var at: Date
        public var job: Job
        public var outcome: String
        public var code: Int?
        public var reply: String
        /// Locale, subject and size of what was sent, when something was.
        public var rendered: String?
    }

    /// The delivery log from `from` up to `to`, in order.
    public func deliveries(from: Date, to: Date) throws(StoreError) -> [Delivery] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT delivery.at AS d_at, delivery.outcome AS d_outcome, delivery.code AS d_code, delivery.reply AS d_reply,
                       delivery.rendered AS d_rendered, job.*
                FROM delivery JOIN job ON job.id = delivery.job_id WHERE delivery.at >= ? AND delivery.at <= ? ORDER BY delivery.id
                """, arguments: [Int64(from.timeIntervalSince1970), Int64(to.timeIntervalSince1970)]).map {
                Delivery(at: Date(timeIntervalSince1970: TimeInterval($0["d_at"] as Int64)), job: Self.job($0),
                         outcome: $0["d_outcome"], code: $0["d_code"], reply: $0["d_reply"], rendered: $0["d_rendered"])
            }
        }
    }
}
