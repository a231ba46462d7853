import Foundation
import MDRSTestSupport
import Mailer
import MDRSService
import MediationDomain
import Messages
import PostgresStore
import Testing

@Suite struct ConfigLoaderTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder("config") }

    func write(_ text: String) throws -> URL {
        let file = folder.path("mdrsd.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func relativePathsResolveAgainstTheConfigFolder() throws {
        let file = try write("[paths]\ndatabase = \"state/db.sqlite\"\nspool = \"../spool\"\n[mail]\noutbox = \"out\"\n")
        let config = try ConfigLoader.load(path: file.path)
        let folder = file.deletingLastPathComponent()
        #expect(config.database == folder.appendingPathComponent("state/db.sqlite").standardizedFileURL)
        #expect(config.spool == folder.deletingLastPathComponent().appendingPathComponent("spool").standardizedFileURL)
        #expect(config.transport == .file(outbox: folder.appendingPathComponent("out").standardizedFileURL, fsync: false))
        #expect(config.templates == folder.appendingPathComponent("templates").standardizedFileURL)
    }

    @Test func smtpPasswordComesFromAFile() throws {
        let file = try write("""
            [mail]
            transport = "smtp"
            smtp_url = "smtp://relay.example.org:587"
            username = "mediation@example.org"
            password_file = "secrets/smtp-password"
            rate_per_minute = 30

            [retry]
            initial_seconds = 30
            jitter = 0
            """)
        let secrets = file.deletingLastPathComponent().appendingPathComponent("secrets")
        try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
        // As systemd's LoadCredential= or an editor leaves it: with a final newline.
        try "correct horse\n".write(to: secrets.appendingPathComponent("smtp-password"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: file.path)
        guard case .smtp(let settings) = config.transport else { Issue.record("not smtp"); return }
        #expect(settings.password == "correct horse")
        #expect(settings.username == "mediation@example.org")
        #expect(settings.requireTLS)
        #expect(settings.ehloDomain == "example.org")
        #expect(config.ratePerMinute == 30 && config.ratePerDay == nil)
        #expect(config.retry.initialDelay == 30 && config.retry.jitter == 0 && config.retry.maximumAttempts == 10)
    }

    @Test func storeUrlChoosesPostgresWithItsPasswordFromAFile() throws {
        let file = try write("""
            [store]
            url = "postgresql://mdrsd@db.example.org/mdrsd"
            password_file = "db-password"
            instance = "mdrsd-a"
            lease_seconds = 120
            """)
        try "s3cret-example\n".write(to: folder.path("db-password"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: file.path)
        guard case .postgres(let settings, let instance, let connections) = config.store else { Issue.record("\(config.store)"); return }
        #expect(settings.password == "s3cret-example" && settings.username == "mdrsd" && settings.database == "mdrsd")
        #expect(settings.endpoint == .tcp(host: "db.example.org", port: 5432) && settings.tls == .verifyFull)
        #expect(instance == "mdrsd-a" && connections == 4 && config.lease == 120)
        #expect(!settings.display.contains("s3cret"))
        // Without [store] the store is SQLite at paths.database.
        #expect(try ConfigLoader.load(path: write("[paths]\ndatabase = \"x.sqlite\"\n").path).store == .sqlite(folder.path("x.sqlite")))
        // A socket folder, from the URL's host parameter; loopback and sockets are not encrypted by default.
        let socket = try PostgresSettings(url: "postgresql://mdrsd@/mdrsd?host=/run/postgresql&port=5433")
        #expect(socket.endpoint == .socket(path: "/run/postgresql/.s.PGSQL.5433") && socket.tls == .disable)
    }

    @Test func aBadStoreSettingNamesItsKey() throws {
        let cases: [(String, String, String)] = [
            ("url = \"mysql://db/mdrsd\"", "store.url", "not a postgresql:// URL"),
            ("url = \"postgresql://mdrsd:hunter2@db/mdrsd\"", "store.url", "password_file"),
            ("url = \"postgresql://db/mdrsd\"", "store.url", "no user"),
            ("url = \"postgresql://mdrsd@db/mdrsd?sslmode=maybe\"", "store.url", "sslmode"),
            ("url = \"postgresql://mdrsd@db/mdrsd?host=/run/postgresql&sslmode=require\"", "store.url", "Unix socket"),
            ("url = \"postgresql://mdrsd@db/mdrsd\"\nlease_seconds = 30", "store.lease_seconds", "mail.timeout_seconds"),
            ("instance = \"a\"", "store.instance", "needs store.url"),
            ("url = \"postgresql://mdrsd@db/mdrsd\"\npassword_file = \"nope\"", "store.password_file", "cannot read"),
        ]
        for (body, key, words) in cases {
            let file = try write("[store]\n\(body)\n")
            #expect { try ConfigLoader.load(path: file.path) } throws: {
                guard let error = $0 as? ConfigError else { return false }
                return error.key == key && "\(error)".contains(words) && !"\(error)".contains("hunter2")
            }
        }
    }

    @Test func missingPasswordFileNamesTheKey() throws {
        let file = try write("[mail]\ntransport = \"smtp\"\nsmtp_url = \"smtp://relay.example.org\"\npassword_file = \"nope\"\n")
        #expect { try ConfigLoader.load(path: file.path) } throws: { ($0 as? ConfigError)?.key == "mail.password_file" }
    }

    @Test func defaultsNeedNoKeysAtAll() throws {
        let config = try ConfigLoader.load(path: try write("").path)
        #expect(config.service.fromAddress == "mediation@example.org")
        #expect(config.logLevel == "info")
        #expect(config.database.path.hasSuffix("var/mdrsd.sqlite"))
    }

    @Test(arguments: [
        ("[mail]\ntransprot = \"smtp\"\n", "mail.transprot"),
        ("[mial]\n", "mial"),
        ("[mail]\ntransport = \"smtp\"\n", "mail.smtp_url"),
        ("[mail]\ntransport = \"smtp\"\nsmtp_url = \"http://x\"\n", "mail.smtp_url"),
        ("[mail]\ntimeout_seconds = \"ten\"\n", "mail.timeout_seconds"),
        ("[service]\nfrom = \"not an address\"\n", "service.from"),
        ("[log]\nlevel = \"loud\"\n", "log.level"),
        ("[retry]\njitter = 2\n", "retry.jitter"),
        ("[mail]\nrate_per_minute = 0\n", "mail.rate_per_minute"),
        ("[spool]\nmax_file_bytes = 10\n", "spool.max_file_bytes"),
        ("[scheduler]\nhorizon_hours = 0\n", "scheduler.horizon_hours"),
        ("[mail]\noutbox_fsync = \"yes\"\n", "mail.outbox_fsync"),
        ("[[mediators]]\nid = \"../m.okafor\"\nname = \"M\"\n", "mediators[0].id"),
        ("[[mediators]]\nid = \"m\"\nname = \"M\"\nemail = \"not mail\"\n", "mediators[0].email"),
    ])
    func badValueNamesTheKey(text: String, key: String) throws {
        let file = try write(text)
        #expect { try ConfigLoader.load(path: file.path) } throws: { error in
            (error as? ConfigError)?.key == key
        }
    }

    @Test func spoolSchedulerAndOutboxSettingsAreRead() throws {
        let config = try ConfigLoader.load(path: try write("""
            [spool]
            max_file_bytes = 1048576
            [scheduler]
            horizon_hours = 6
            [mail]
            outbox_fsync = true
            """).path)
        #expect(config.maxFileBytes == 1_048_576 && config.horizon == 6 * 3600)
        guard case .file(_, let fsync) = config.transport else { Issue.record("not file"); return }
        #expect(fsync)
        let defaults = try ConfigLoader.load(path: try write("").path)
        #expect(defaults.maxFileBytes == 10 * 1024 * 1024 && defaults.horizon == 86_400)
    }

    @Test func aHolidayChangesFileErrorNamesTheEntryAndKey() throws {
        let changes = folder.path("changes.toml")
        try "[[change]]\ndate = \"2027-06-31\"\nname = \"x\"\n".write(to: changes, atomically: true, encoding: .utf8)
        let file = try write("[paths]\nholiday_changes = \"changes.toml\"\n")
        #expect { try ConfigLoader.load(path: file.path) } throws: { ($0 as? ConfigError)?.key == "change[0].date" }
    }

    @Test func brokenTOMLGivesTheLineAndKeepsTheParsersError() throws {
        let file = try write("[service]\nname = \"x\"\nphone = \n")
        #expect { try ConfigLoader.load(path: file.path) } throws: { error in
            (error as? ConfigError)?.line == 3 && (error as? ConfigError)?.cause != nil
        }
    }

    @Test func brokenTOMLGivesTheLine() throws {
        let file = try write("[service]\nname = \"x\"\nphone = \n")
        #expect { try ConfigLoader.load(path: file.path) } throws: { error in
            (error as? ConfigError)?.line == 3
        }
    }

    @Test func remindersQuietHoursAndAgendaAreRead() throws {
        let file = try write("""
            [[reminders]]
            message = "meeting_reminder"
            before = "3d"
            at = "09:30"
            roles = ["parent", "advocate"]

            [[reminders]]
            message = "prep_call_reminder"
            before = "90m"

            [quiet_hours]
            from = "21:00"
            to = "07:30"

            [planning]
            agenda_time = ""
            """)
        let config = try ConfigLoader.load(path: file.path)
        #expect(config.reminders == [
            ReminderRule(message: .meetingReminder, offset: .init(amount: 3, unit: .days), at: LocalTime(hour: 9, minute: 30),
                         roles: [.parent, .advocate]),
            ReminderRule(message: .prepCallReminder, offset: .init(amount: 90, unit: .minutes)),
        ])
        #expect(config.quietHours == QuietHours(from: LocalTime(hour: 21, minute: 0)!, to: LocalTime(hour: 7, minute: 30)!))
        #expect(config.agendaTime == nil)
        // Without [[reminders]], the shipped plan.
        #expect(try ConfigLoader.load(path: try write("").path).reminders == ReminderRule.defaults)
        #expect(try ConfigLoader.load(path: try write("reminders = []").path).reminders.isEmpty)
    }

    @Test(arguments: [
        ("[[reminders]]\nmessage = \"booking_confirmation\"\nbefore = \"1d\"", "reminders[0].message"),
        ("[[reminders]]\nmessage = \"meeting_reminder\"\nbefore = \"soon\"", "reminders[0].before"),
        ("[[reminders]]\nmessage = \"meeting_reminder\"\nbefore = \"2h\"\nat = \"09:00\"", "reminders[0].at"),
        ("[[reminders]]\nmessage = \"meeting_reminder\"\nbefore = \"1d\"\nroles = [\"aunt\"]", "reminders[0].roles"),
        ("[[reminders]]\nmessage = \"meeting_reminder\"\nbefore = \"1d\"\nwhen = 1", "reminders[0].when"),
        ("[quiet_hours]\nfrom = \"8pm\"", "quiet_hours.from"),
    ])
    func badReminderSettingsNameTheKey(text: String, key: String) throws {
        let file = try write(text)
        #expect { try ConfigLoader.load(path: file.path) } throws: { error in
            (error as? ConfigError)?.key == key
        }
    }

    /// A complete `[bounces]`, with its two credential files written.
    func bounces(_ extra: String = "", key: String = "0123456789abcdef0123456789abcdef") throws -> URL {
        let file = try write("""
            [bounces]
            return_path = "bounces@example.org"
            key_file = "bounce.key"
            imap_url = "imaps://mail.example.org"
            username = "bounces@example.org"
            password_file = "imap.password"
            \(extra)
            """)
        try "\(key)\n".write(to: folder.path("bounce.key"), atomically: true, encoding: .utf8)
        try "imap secret\n".write(to: folder.path("imap.password"), atomically: true, encoding: .utf8)
        return file
    }

    @Test func bouncesAreOffByDefaultAndReadWhole() throws {
        #expect(try ConfigLoader.load(path: try write("").path).bounces == nil)
        let config = try #require(try ConfigLoader.load(path: try bounces().path).bounces)
        #expect(config.imap.password == "imap secret")
        #expect(config.imap.mailbox == "INBOX")
        #expect(config.interval == 300, "five minutes by default")
        #expect(config.address.sender(forJob: 12).hasPrefix("bounces+12."))
        #expect(try ConfigLoader.load(path: try bounces("interval_seconds = 60\nmailbox = \"Bounces\"").path).bounces?.interval == 60)
    }

    @Test(arguments: [
        ("[bounces]\nreturn_path = \"bounces@example.org\"\n", "bounces.imap_url"),
        ("[bounces]\nimap_url = \"imaps://mail.example.org\"\n", "bounces.return_path"),
    ])
    func anIncompleteBouncesSectionNamesTheMissingKey(text: String, key: String) throws {
        #expect { try ConfigLoader.load(path: try write(text).path) } throws: { ($0 as? ConfigError)?.key == key }
    }

    @Test func badBounceSettingsNameTheKey() throws {
        let plus = try bounces().path
        try String(contentsOfFile: plus, encoding: .utf8).replacingOccurrences(of: "\"bounces@example.org\"\nkey", with: "\"bounces+x@example.org\"\nkey")
            .write(toFile: plus, atomically: true, encoding: .utf8)
        #expect { try ConfigLoader.load(path: plus) } throws: { ($0 as? ConfigError)?.key == "bounces.return_path" }
        #expect { try ConfigLoader.load(path: try bounces(key: "short").path) } throws: { ($0 as? ConfigError)?.key == "bounces.key_file" }
        #expect { try ConfigLoader.load(path: try bounces("interval_seconds = 0").path) } throws: {
            ($0 as? ConfigError)?.key == "bounces.interval_seconds"
        }
        let http = try bounces().path
        try String(contentsOfFile: http, encoding: .utf8).replacingOccurrences(of: "imaps://", with: "https://")
            .write(toFile: http, atomically: true, encoding: .utf8)
        #expect { try ConfigLoader.load(path: http) } throws: { ($0 as? ConfigError)?.key == "bounces.imap_url" }
        let unreadable = try bounces().path
        try FileManager.default.removeItem(at: folder.path("imap.password"))
        #expect { try ConfigLoader.load(path: unreadable) } throws: { ($0 as? ConfigError)?.key == "bounces.password_file" }
    }

    @Test func theShippedConfigSpellsOutTheDefaults() throws {
        let config = try ConfigLoader.load(path: TestEnvironment.packageRoot.appendingPathComponent("Config/mdrsd.toml").path)
        #expect(config.reminders == ReminderRule.defaults)
        #expect(config.quietHours == .standard)
        #expect(config.agendaTime == LocalTime(hour: 8, minute: 0))
    }
}
