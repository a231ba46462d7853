import Foundation
import GRDB
import MDRSTestSupport
import MediationDomain
import SQLiteStore
import Store
import Testing

/// What only the SQLite backend does: private files, sandbox copies,
/// busy handling, the schema's constraints and its migrations.
@Suite struct SQLiteStoreTests {
    @Test func filesArePrivate() async throws {
        let f = try await StoreFixture(.sqlite)
        let store = try #require(f.store as? SQLiteStore)
        let folder = (store.path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int == 0o600)
    }

    @Test func aCopyIsASandbox() async throws {
        let f = try await StoreFixture(.sqlite)
        try await f.ingest(f.booking())
        let copy = try #require(f.store as? SQLiteStore).copy(to: f.folder.path("copy.sqlite").path)
        let job = try #require(try await copy.jobs(.waiting, after: nil, limit: 1).first)
        try await copy.finish(job.id, JobOutcome(state: .skipped, reply: "test"), now: f.now)
        #expect(try await copy.job(job.id)?.state == .skipped)
        #expect(try await f.store.job(job.id)?.state == .pending)
    }

    @Test func aLockedDatabaseIsATransientErrorAndChangesNothing() async throws {
        let folder = try TemporaryFolder("locked")
        let path = folder.path("mdrsd.sqlite").path
        let store = try SQLiteStore(path: path, busyTimeout: 0.2)
        // Another connection holds the database, as `BEGIN EXCLUSIVE` in sqlite3 would.
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        // The holder and the wait for it block: on threads of their own,
        // not the few every test in the process shares.
        let holder = Task {
            try await TestEnvironment.onOwnThread {
                try other.inTransaction(.exclusive) { _ in
                    locked.signal()
                    release.wait()
                    return .rollback
                }
            }
        }
        try await TestEnvironment.onOwnThread { locked.wait() }
        let f = try await StoreFixture(.sqlite)
        let error = await #expect(throws: StoreError.self) {
            try await store.ingest([f.booking()], planner: f.planner, now: f.now, isCancelled: { false })
        }
        #expect(error?.kind == .busy && error?.isTransient == true && error?.cause != nil)
        release.signal()
        try await holder.value
        #expect(try await store.bookingCount() == 0)
        _ = try await store.ingest([f.booking()], planner: f.planner, now: f.now, isCancelled: { false })
        #expect(try await store.bookingCount() == 1)
    }

    @Test func theSchemaRefusesStatesAndMessagesItDoesNotKnow() async throws {
        let f = try await StoreFixture(.sqlite)
        try await f.ingest(f.booking())
        let queue = try DatabaseQueue(path: try #require(f.store as? SQLiteStore).path)
        for sql in ["UPDATE job SET state = 'lost'", "UPDATE job SET message = 'newsletter'", "UPDATE job SET role = 'mediator'",
                    "UPDATE job SET party_index = NULL WHERE role = 'parent'"] {
            let error = #expect(throws: DatabaseError.self) { try queue.write { db in try db.execute(sql: sql) } }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT, "\(sql)")
        }
    }

    /// A database as the previous release left it (migrations v1 to v4),
    /// with a party's job and a mediator's: v5 types them.
    @Test func aDatabaseOfThePreviousReleaseIsMigrated() async throws {
        let folder = try TemporaryFolder("migrate")
        let path = folder.path("mdrsd.sqlite").path
        let old = try DatabaseQueue(path: path)
        let body = try String(decoding: {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .secondsSince1970
            return try encoder.encode(BookingFixtures.sample)
        }(), as: UTF8.self)
        try await old.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1'), ('v2-calls'), ('v3-mediator-mail'), ('v4-delivery-rendered');
                CREATE TABLE booking (reference TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL,
                    meeting_start INTEGER NOT NULL, body TEXT NOT NULL, updated_at INTEGER NOT NULL);
                CREATE TABLE job (id INTEGER PRIMARY KEY AUTOINCREMENT, dedupe_key TEXT NOT NULL UNIQUE,
                    booking_reference TEXT NOT NULL, booking_version INTEGER NOT NULL, message TEXT NOT NULL, role TEXT NOT NULL,
                    party_index INTEGER NOT NULL, due_at INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                    message_id TEXT, last_error TEXT, updated_at INTEGER NOT NULL, mediator TEXT);
                CREATE TABLE delivery (id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL REFERENCES job(id),
                    at INTEGER NOT NULL, message_id TEXT NOT NULL, outcome TEXT NOT NULL, code INTEGER, reply TEXT NOT NULL, rendered TEXT);
                CREATE TABLE call (id INTEGER PRIMARY KEY AUTOINCREMENT, booking_reference TEXT NOT NULL, booking_version INTEGER NOT NULL,
                    mediator TEXT NOT NULL, with_roles TEXT NOT NULL, state TEXT NOT NULL, start_at INTEGER, end_at INTEGER,
                    meeting_at INTEGER NOT NULL, reason TEXT);
                CREATE INDEX call_by_time ON call (mediator, start_at);
                CREATE INDEX job_on_state ON job (state);
                """)
            try db.execute(sql: "INSERT INTO booking VALUES ('MDRS-2027-0142', 1, 'booked', 1805796000, ?, 0)", arguments: [body])
            try db.execute(sql: """
                INSERT INTO job (dedupe_key, booking_reference, booking_version, message, role, party_index, due_at, state, updated_at, mediator)
                VALUES ('booking_confirmation.MDRS-2027-0142.v1.parent.0', 'MDRS-2027-0142', 1, 'booking_confirmation', 'parent', 0,
                        1800000000, 'sent', 0, NULL),
                       ('mediator_agenda.m.okafor.2027-03-23', '', 0, 'mediator_agenda', 'mediator', -1, 1805788800, 'pending', 0, 'm.okafor')
                """)
            try db.execute(sql: "INSERT INTO delivery (job_id, at, message_id, outcome, reply) VALUES (1, 1800000000, '<x@example.org>', 'sent', '250 ok')")
        }
        let store = try SQLiteStore(path: path)
        let jobs = try await store.jobs(JobQuery(), after: nil, limit: 10)
        #expect(jobs.map(\.recipient) == [.party(index: 0, role: .parent), .mediator("m.okafor")])
        #expect(jobs[1].bookingReference == nil && jobs[1].state == .pending)
        #expect(try await store.meetings(from: Date(timeIntervalSince1970: 0), to: .distantFuture, mediator: "m.okafor").count == 1)
        #expect(try await store.deliveries(from: Date(timeIntervalSince1970: 0), to: .distantFuture).count == 1)
        // The counts by state start from what was there.
        #expect(try await store.counts() == [.sent: 1, .pending: 1])
    }
}
