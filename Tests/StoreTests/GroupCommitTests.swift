import Foundation
import GRDB
import MDRSTestSupport
@testable import SQLiteStore
import Store
import Synchronization
import Testing

/// Writes that queue up while the writer is busy share one commit; each
/// keeps its own result, and a batch commits or fails whole.
@Suite struct GroupCommitTests {
    /// Counts commits.
    final class Commits: TransactionObserver, @unchecked Sendable {
        // @unchecked: only GRDB's writer queue touches it.
        var count = 0
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count += 1 }
        func databaseDidRollback(_ db: Database) {}
    }

    /// A database with a table of notes, a batcher on it, and the writer
    /// held busy until `release` is signalled.
    struct Held {
        let folder: TemporaryFolder
        let pool: DatabasePool
        let commits: GroupCommit
        let counted = Commits()
        let release = DispatchSemaphore(value: 0)

        init() throws {
            folder = try TemporaryFolder("group-commit")
            pool = try DatabasePool(path: folder.path("test.sqlite").path)
            try pool.write { db in try db.execute(sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)") }
            commits = GroupCommit(pool: pool, durable: true)
            let counted = counted, release = release
            pool.asyncWriteWithoutTransaction { db in
                db.add(transactionObserver: counted)
                release.wait()
            }
        }

        /// Starts `count` writes and returns once all wait for the writer.
        func start<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int, Database) throws -> T) async -> [Task<T, any Error>] {
            let tasks = (0..<count).map { n in
                let commits = commits
                return Task { try await commits.write("note \(n)") { db in try body(n, db) } }
            }
            _ = await TestEnvironment.eventually { commits.waitingCount == count }
            return tasks
        }

        func notes() throws -> Int { try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM note") ?? 0 } }
    }

    @Test func writesThatWaitTogetherCommitOnceAndEachKeepsItsValue() async throws {
        let held = try Held()
        let tasks = await held.start(20) { n, db in
            try db.execute(sql: "INSERT INTO note (text) VALUES (?)", arguments: ["note \(n)"])
            return db.lastInsertedRowID
        }
        #expect(held.commits.waitingCount == 20)
        held.release.signal()
        var ids: Set<Int64> = []
        for task in tasks { ids.insert(try await task.value) }
        #expect(ids.count == 20, "each write has its own row id")
        #expect(try held.notes() == 20)
        #expect(try await held.pool.write { _ in held.counted.count } == 1, "one commit for the twenty")
    }

    @Test func aWriteThatFailsFailsItsBatchAndNothingOfItIsKept() async throws {
        let held = try Held()
        let tasks = await held.start(3) { n, db in
            try db.execute(sql: n == 1 ? "INSERT INTO missing (text) VALUES ('x')" : "INSERT INTO note (text) VALUES ('y')")
        }
        held.release.signal()
        for task in tasks {
            await #expect(throws: StoreError.self) { try await task.value }
        }
        #expect(try held.notes() == 0, "the batch was rolled back whole")
        // The next write is a batch of its own and goes.
        try await held.commits.write("after") { db in try db.execute(sql: "INSERT INTO note (text) VALUES ('z')") }
        #expect(try held.notes() == 1)
    }
}
