import GRDB
import Store
import Synchronization

/// Commits the claims and outcomes that queue up while the writer is busy
/// in one transaction, not one each. Sending many emails at once, each
/// claim and each outcome used to pay a whole commit (the write lock, the
/// WAL frames of the same few pages, the commit record): a third of the
/// work of a simulated email. Each write keeps its own result; the batch
/// commits or fails as one, so a write that fails (a full disk, a lock
/// held too long) fails with those that came with it, and nothing of any
/// of them is kept.
final class GroupCommit: Sendable {
    /// One write waiting for the next commit.
    private struct Pending: Sendable {
        let what: String
        /// Runs the write's body in the batch's transaction, keeping its value.
        let apply: @Sendable (Database) throws -> Void
        /// Hands the caller its value (`nil`: committed) or the batch's error.
        let settle: @Sendable (StoreError?) -> Void
    }

    private let pool: DatabasePool
    /// Whether the commit waits for the disk (see `SQLiteStore.relaxedWrite`).
    private let durable: Bool
    private let waiting = Mutex<[Pending]>([])

    init(pool: DatabasePool, durable: Bool) {
        self.pool = pool
        self.durable = durable
    }

    /// How many writes wait for the next commit.
    var waitingCount: Int { waiting.withLock { $0.count } }

    /// Runs `body` in the next commit, with whatever else is waiting then.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        let value = Mutex<T?>(nil)
        let failure: StoreError? = await withCheckedContinuation { continuation in
            waiting.withLock {
                $0.append(Pending(what: what, apply: { db in
                    let result = try body(db)
                    value.withLock { $0 = result }
                }, settle: { continuation.resume(returning: $0) }))
            }
            // Each write asks for a commit; the first to run takes all that
            // wait, and those after it find none.
            pool.asyncWriteWithoutTransaction { db in self.commit(db) }
        }
        if let failure { throw failure }
        guard let result = value.withLock({ $0 }) else { throw StoreError(.database, "database write failed (\(what)): no result") }
        return result
    }

    /// Runs on the writer's queue.
    private func commit(_ db: Database) {
        let batch = waiting.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        guard !batch.isEmpty else { return }
        do {
            // Outside a transaction: the setting applies to the next commit.
            if durable { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            defer { if durable { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
            try db.inTransaction(.immediate) {
                for write in batch { try write.apply(db) }
                return .commit
            }
        } catch {
            for write in batch { write.settle(SQLiteStore.mapped(error, "database write failed (\(write.what))")) }
            return
        }
        for write in batch { write.settle(nil) }
    }
}
