import Foundation
import MediationDomain
import PostgresNIO
import Store

/// The schema, as named migrations applied in order, each once, in one
/// transaction under an advisory lock: instances starting together wait
/// for one another, and an upgraded release migrates the database the
/// first time it starts. Shipped migrations are never edited.
enum Schema {
    /// The advisory lock key migrations hold (any fixed number).
    private static let lock: Int64 = 0x6D64_7273_6400

    static let migrations: [(name: String, sql: String)] = [("v1", v1)]

    static func migrate(_ store: PostgresStore) async throws(StoreError) {
        try await store.write("migrate") { session in
            try await session.run("SELECT pg_advisory_xact_lock(\(lock))")
            try await session.run("""
                CREATE TABLE IF NOT EXISTS mdrsd_migration (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let applied = Set(try await session.values("SELECT name FROM mdrsd_migration", String.self))
            for migration in migrations where !applied.contains(migration.name) {
                // One statement at a time: the extended protocol takes no more.
                for statement in migration.sql.components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                    try await session.run(PostgresQuery(unsafeSQL: statement))
                }
                try await session.run("INSERT INTO mdrsd_migration (name) VALUES (\(migration.name))")
            }
        }
    }

    /// The names of the migrations this release knows.
    static var names: [String] { migrations.map(\.name) }

    private static func oneOf(_ column: String, _ values: [String]) -> String {
        "\(column) IN (" + values.map { "'\($0)'" }.joined(separator: ", ") + ")"
    }

    /// The tables of the SQLite store's eighth version, in PostgreSQL's
    /// types: times as epoch seconds, the same names and constraints.
    private static let v1: String = {
        let messages = MessageKind.allCases.map(\.rawValue)
        let states = JobState.allCases.map(\.rawValue)
        let roles = Role.allCases.map(\.rawValue) + ["mediator", "staff"]
        return """
        CREATE TABLE booking (
            reference TEXT PRIMARY KEY, version BIGINT NOT NULL, status TEXT NOT NULL, mediator TEXT NOT NULL,
            meeting_start BIGINT NOT NULL, meeting_end BIGINT NOT NULL, body TEXT NOT NULL, updated_at BIGINT NOT NULL, purged_at BIGINT
        );
        CREATE INDEX booking_by_mediator ON booking (mediator, meeting_start, meeting_end, status);
        CREATE INDEX booking_by_start ON booking (meeting_start, reference);
        CREATE TABLE booking_version (
            reference TEXT NOT NULL, version BIGINT NOT NULL, body TEXT NOT NULL, stored_at BIGINT NOT NULL, PRIMARY KEY (reference, version)
        );
        CREATE TABLE job (
            id BIGSERIAL PRIMARY KEY,
            dedupe_key TEXT NOT NULL,
            booking_reference TEXT NOT NULL,
            booking_version BIGINT NOT NULL,
            message TEXT NOT NULL CHECK (\(oneOf("message", messages))),
            role TEXT NOT NULL CHECK (\(oneOf("role", roles))),
            party_index BIGINT CHECK (party_index >= 0),
            mediator TEXT,
            due_at BIGINT NOT NULL,
            state TEXT NOT NULL CHECK (\(oneOf("state", states))),
            attempts BIGINT NOT NULL DEFAULT 0,
            message_id TEXT,
            last_error TEXT,
            updated_at BIGINT NOT NULL,
            wait_reason TEXT CHECK (wait_reason IS NULL OR \(oneOf("wait_reason", WaitReason.allCases.map(\.rawValue)))),
            alert_cause TEXT,
            lease_until BIGINT,
            lease_owner TEXT,
            CHECK ((role IN ('mediator', 'staff')) = (party_index IS NULL)),
            CHECK (role <> 'mediator' OR mediator IS NOT NULL),
            UNIQUE (booking_reference, dedupe_key)
        );
        CREATE INDEX job_by_state_due ON job (state, due_at);
        CREATE INDEX job_by_alert_cause ON job (alert_cause, state) WHERE alert_cause IS NOT NULL;
        CREATE INDEX job_by_message_id ON job (message_id) WHERE message_id IS NOT NULL;
        CREATE INDEX job_sending ON job (lease_until) WHERE state = 'sending';
        CREATE TABLE delivery (
            id BIGSERIAL PRIMARY KEY, job_id BIGINT NOT NULL REFERENCES job, at BIGINT NOT NULL, message_id TEXT NOT NULL,
            outcome TEXT NOT NULL, code BIGINT, reply TEXT NOT NULL, rendered TEXT
        );
        CREATE INDEX delivery_by_job ON delivery (job_id);
        CREATE INDEX delivery_by_time ON delivery (at);
        CREATE TABLE call (
            id BIGSERIAL PRIMARY KEY, booking_reference TEXT NOT NULL, booking_version BIGINT NOT NULL, mediator TEXT NOT NULL,
            with_roles TEXT NOT NULL, state TEXT NOT NULL, start_at BIGINT, end_at BIGINT, meeting_at BIGINT NOT NULL, reason TEXT
        );
        CREATE INDEX call_by_booking_state ON call (booking_reference, state);
        CREATE INDEX call_busy ON call (mediator, start_at, state);
        CREATE INDEX call_unscheduled ON call (meeting_at) WHERE state = 'unscheduled';
        CREATE TABLE staff_alert (
            id BIGSERIAL PRIMARY KEY, cause TEXT NOT NULL, reference TEXT, summary TEXT NOT NULL, detail TEXT NOT NULL,
            raised_at BIGINT NOT NULL, job_id BIGINT NOT NULL REFERENCES job
        );
        CREATE INDEX staff_alert_by_job ON staff_alert (job_id);
        CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL);
        CREATE INDEX audit_by_time ON audit (at);
        CREATE TABLE bounce_notice (
            fingerprint TEXT PRIMARY KEY, at BIGINT NOT NULL, outcome TEXT NOT NULL, job_id BIGINT, status TEXT
        );
        CREATE INDEX bounce_notice_by_time ON bounce_notice (at);
        CREATE TABLE bounced_address (
            booking_reference TEXT NOT NULL, address TEXT NOT NULL, job_id BIGINT NOT NULL, at BIGINT NOT NULL,
            PRIMARY KEY (booking_reference, address)
        );
        """
    }()
}
