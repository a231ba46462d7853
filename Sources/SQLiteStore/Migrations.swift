import GRDB
import MediationDomain

/// The schema, as a list of migrations. Shipped migrations are never
/// edited; new ones are appended, named by string, written without app types.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "booking") { t in
                t.primaryKey("reference", .text)
                t.column("version", .integer).notNull()
                t.column("status", .text).notNull()
                t.column("meeting_start", .integer).notNull()
                t.column("body", .text).notNull()
                t.column("updated_at", .integer).notNull()
            }
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("dedupe_key", .text).notNull().unique()
                t.column("booking_reference", .text).notNull().indexed()
                t.column("booking_version", .integer).notNull()
                t.column("message", .text).notNull()
                t.column("role", .text).notNull()
                t.column("party_index", .integer).notNull()
                t.column("due_at", .integer).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("message_id", .text)
                t.column("last_error", .text)
                t.column("updated_at", .integer).notNull()
            }
            try db.create(table: "delivery") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("job_id", .integer).notNull().references("job").indexed()
                t.column("at", .integer).notNull()
                t.column("message_id", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("code", .integer)
                t.column("reply", .text).notNull()
            }
        }
        migrator.registerMigration("v2-calls") { db in
            try db.create(table: "call") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("booking_reference", .text).notNull().indexed()
                t.column("booking_version", .integer).notNull()
                t.column("mediator", .text).notNull()
                t.column("with_roles", .text).notNull()
                t.column("state", .text).notNull() // planned | unscheduled
                t.column("start_at", .integer)
                t.column("end_at", .integer)
                t.column("meeting_at", .integer).notNull()
                t.column("reason", .text)
            }
            try db.create(index: "call_by_time", on: "call", columns: ["mediator", "start_at"])
        }
        migrator.registerMigration("v3-mediator-mail") { db in
            // The mediator a certificate reminder or agenda goes to.
            try db.alter(table: "job") { t in t.add(column: "mediator", .text) }
        }
        migrator.registerMigration("v4-delivery-rendered") { db in
            // What was rendered for the attempt: locale, subject and size.
            try db.alter(table: "delivery") { t in t.add(column: "rendered", .text) }
        }
        migrator.registerMigration("v5-typed-jobs") { db in
            // Bookings: the columns ingest filters on, so planning reads
            // only one mediator's meetings in one window.
            try db.alter(table: "booking") { t in
                t.add(column: "mediator", .text).notNull().defaults(to: "")
                t.add(column: "meeting_end", .integer).notNull().defaults(to: 0)
            }
            try db.execute(sql: """
                UPDATE booking SET mediator = json_extract(body, '$.mediator'),
                    meeting_end = meeting_start + 60 * json_extract(body, '$.meeting.durationMinutes')
                """)
            // Covering: planning reads a mediator's meetings in a week without
            // touching the rows (which carry the bodies).
            try db.create(index: "booking_by_mediator", on: "booking", columns: ["mediator", "meeting_start", "meeting_end", "status"])
            try db.create(index: "booking_by_start", on: "booking", columns: ["meeting_start", "reference"])
            try db.create(index: "call_by_booking_state", on: "call", columns: ["booking_reference", "state"])
            // Covering, for the same reason: a mediator's calls in a week
            // (it supersedes v2's call_by_time).
            try db.create(index: "call_busy", on: "call", columns: ["mediator", "start_at", "state", "end_at", "booking_reference", "with_roles"])
            try db.execute(sql: "DROP INDEX IF EXISTS call_by_time")
            // call_by_booking_state starts with the reference: v2's own index is redundant.
            try db.execute(sql: "DROP INDEX IF EXISTS call_on_booking_reference")

            // Jobs: typed columns with CHECK constraints, rebuilt because
            // SQLite cannot add a constraint to a table.
            let messages = ["booking_confirmation", "prep_call_scheduled", "prep_call_reminder", "meeting_reminder",
                            "booking_changed", "booking_cancelled", "prep_call_cancelled", "certificate_due", "mediator_agenda",
                            "admin_alert"]
            let states = ["pending", "sending", "sent", "retry", "dead", "skipped", "cancelled", "bounced", "held"]
            let roles = ["parent", "carer", "young_person", "advocate", "local_authority", "health", "social_care", "school"]
            // `column = 'a' OR column = 'b' …` rather than `IN ('a', 'b', …)`:
            // in a CHECK, SQLite builds an ephemeral index for an IN list on
            // every row, which tripled the cost of inserting a job.
            func oneOf(_ column: String, _ values: [String]) -> String {
                "(" + values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") + ")"
            }
            try db.execute(sql: """
                CREATE TABLE job_typed (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dedupe_key TEXT NOT NULL,
                    booking_reference TEXT NOT NULL,
                    booking_version INTEGER NOT NULL,
                    message TEXT NOT NULL CHECK \(oneOf("message", messages)),
                    role TEXT NOT NULL CHECK \(oneOf("role", roles + ["mediator", "staff"])),
                    party_index INTEGER CHECK (party_index >= 0),
                    mediator TEXT,
                    due_at INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK \(oneOf("state", states)),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    message_id TEXT,
                    last_error TEXT,
                    updated_at INTEGER NOT NULL,
                    wait_reason TEXT CHECK (wait_reason IS NULL OR \(oneOf("wait_reason", ["configuration", "transient", "quiet_hours"]))),
                    alert_cause TEXT,
                    lease_until INTEGER,
                    CHECK (\(oneOf("role", ["mediator", "staff"])) = (party_index IS NULL)),
                    CHECK (role != 'mediator' OR mediator IS NOT NULL),
                    -- Keys embed their booking's reference, so this is as unique
                    -- as the key alone, and a booking's jobs share index pages
                    -- (a large file no longer inserts all over the index).
                    -- It also finds a booking's jobs; '' is for none.
                    UNIQUE (booking_reference, dedupe_key)
                )
                """)
            try db.execute(sql: """
                INSERT INTO job_typed (id, dedupe_key, booking_reference, booking_version, message, role, party_index, mediator,
                                       due_at, state, attempts, message_id, last_error, updated_at)
                SELECT id, dedupe_key, booking_reference, booking_version, message, role,
                       CASE WHEN role = 'mediator' THEN NULL ELSE party_index END, mediator, due_at, state, attempts, message_id,
                       last_error, updated_at
                FROM job
                """)
            try db.drop(table: "job")
            try db.rename(table: "job_typed", to: "job")
            try db.create(index: "job_by_state_due", on: "job", columns: ["state", "due_at"])
            // Only staff digests have a cause: a partial index costs other jobs nothing.
            try db.execute(sql: "CREATE INDEX job_by_alert_cause ON job (alert_cause, state) WHERE alert_cause IS NOT NULL")

            // How many jobs are in each state, so `status` and start-up need
            // not count a million rows: changes of state by triggers, new
            // jobs by the store itself, in bulk (a trigger per insert cost
            // half again the insert, and a large file inserts a million).
            try db.execute(sql: """
                CREATE TABLE job_count (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO job_count SELECT state, COUNT(*) FROM job GROUP BY state;
                CREATE TRIGGER job_count_update AFTER UPDATE OF state ON job WHEN OLD.state != NEW.state BEGIN
                    UPDATE job_count SET n = n - 1 WHERE state = OLD.state;
                    INSERT INTO job_count (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER job_count_delete AFTER DELETE ON job BEGIN
                    UPDATE job_count SET n = n - 1 WHERE state = OLD.state;
                END;
                """)

            try db.create(table: "staff_alert") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("cause", .text).notNull()
                t.column("reference", .text)
                t.column("summary", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("raised_at", .integer).notNull()
                t.column("job_id", .integer).notNull().references("job").indexed()
            }
        }
        migrator.registerMigration("v6-booking-versions") { db in
            // The versions a booking replaced, so a change can tell each
            // party what changed since the version they were told of.
            try db.execute(sql: """
                CREATE TABLE booking_version (
                    reference TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, stored_at INTEGER NOT NULL,
                    PRIMARY KEY (reference, version)
                ) WITHOUT ROWID
                """)
        }
        migrator.registerMigration("v7-retention-audit") { db in
            // When a booking's personal data was erased; NULL while held.
            try db.alter(table: "booking") { t in t.add(column: "purged_at", .integer) }
            // Who did what, by reference only: never personal data.
            try db.execute(sql: """
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,
                    action TEXT NOT NULL, target TEXT NOT NULL
                );
                CREATE INDEX audit_by_time ON audit (at);
                """)
        }
        migrator.registerMigration("v8-bounces") { db in
            // Each message of the bounce mailbox, once: its digest, not its
            // content (which quotes addresses).
            try db.execute(sql: """
                CREATE TABLE bounce_notice (
                    fingerprint TEXT PRIMARY KEY, at INTEGER NOT NULL, outcome TEXT NOT NULL, job_id INTEGER, status TEXT
                ) WITHOUT ROWID;
                CREATE INDEX bounce_notice_by_time ON bounce_notice (at);
                CREATE TABLE bounced_address (
                    booking_reference TEXT NOT NULL, address TEXT NOT NULL, job_id INTEGER NOT NULL, at INTEGER NOT NULL,
                    PRIMARY KEY (booking_reference, address)
                ) WITHOUT ROWID;
                """)
            // A bounce without a token is matched by the original's
            // Message-ID; only sent jobs have one, so the index costs
            // nothing at insert.
            try db.execute(sql: "CREATE INDEX job_by_message_id ON job (message_id) WHERE message_id IS NOT NULL")
        }
        return migrator
    }
}
