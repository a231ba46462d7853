import Foundation
import GRDB
import Glibc
import MDRSTestSupport
import Testing

/// Personal data is kept only as long as `[retention]` says, and a
/// subject access request or an erasure is one command: the real daemon
/// sends a booking's emails, time passes, `mdrsctl purge` erases it, and the
/// database's bytes (after the checkpoint) and the outbox no longer hold any
/// name, address or number of it, while the counts for reports remain.
@Suite(.serialized) struct RetentionTests {
    /// The fixture's people, and a second booking's, still within retention.
    static let purged = ["Siân Ó Briain", "sian@example.org", "Tomasz Nowak", "tomasz@example.org", "Priya Shah",
                         "priya.shah@example.org", "0161 496 0123", "Community Centre, Room 2"]
    static let kept = ["Rhiannon Evans", "rhiannon@example.org"]

    func bytes(_ instance: InstanceFolder) throws -> Data {
        var all = Data()
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: instance.database.path + suffix) { all += data }
        }
        let outbox = instance.root.appendingPathComponent("var/outbox")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? [] {
            all += FileManager.default.contents(atPath: outbox.appendingPathComponent(name).path) ?? Data()
        }
        return all
    }

    @Test func aPurgeLeavesNoPersonalDataButTheCountsAndAnErasureIsOneCommand() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        try instance.appendConfig("[retention]\npersonal_data_days = 30")
        let first = BookingFixtures.json {
            var parties = $0["parties"] as! [[String: Any]]
            parties[0]["phone"] = "0161 496 0123"
            $0["parties"] = parties
        }
        let second = BookingFixtures.json {
            $0["reference"] = "MDRS-2027-0200"
            $0["meeting"] = ["start": "2027-03-24T10:00", "timezone": "Europe/London", "duration_minutes": 120, "venue": "Town Hall"]
            $0["parties"] = [["role": "parent", "name": "Rhiannon Evans", "email": "rhiannon@example.org"],
                             ["role": "local_authority", "name": "Dev Patel", "email": "dev.patel@example.org"]]
        }
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(first, as: "first.json")
        try instance.drop(second, as: "second.json")
        let outbox = instance.root.appendingPathComponent("var/outbox")
        #expect(await TestEnvironment.eventually {
            ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).filter { $0.hasPrefix("booking_confirmation.") }.count == 5
        }, "\(daemon.output)")
        // The daemon purges at start-up (nothing is past retention yet).
        #expect(await TestEnvironment.eventually { daemon.output.contains("retention purge done") }, "\(daemon.output)")
        #expect(daemon.stop() == 0)

        // A subject access request before anything is erased.
        let export = try await CommandRun.mdrsctl(["--config", instance.config.path, "bookings", "export", "MDRS-2027-0142"])
        #expect(export.status == 0, "\(export.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect((document["versions"] as? [[String: Any]])?.count == 1)
        #expect(((document["emails"] as? [[String: Any]]) ?? []).contains { ($0["deliveries"] as? [Any])?.isEmpty == false })
        #expect(export.stdout.contains("sian@example.org") && !(document["outbox_files"] as? [String: String] ?? [:]).isEmpty)

        // Forty days after the first meeting ended: past its 30 days.
        let queue = try DatabaseQueue(path: instance.database.path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE booking SET meeting_end = CAST(strftime('%s', 'now') AS INTEGER) - 40 * 86400 WHERE reference = 'MDRS-2027-0142'")
        }
        let countsBefore = try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT strftime('%Y-%m', d.at, 'unixepoch') AS month, j.message, j.role, COUNT(*) AS n FROM delivery d JOIN job j ON j.id = d.job_id
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """).map { "\($0["month"] as String) \($0["message"] as String) \($0["role"] as String) \($0["n"] as Int)" }
        }
        try queue.close()

        let dry = try await CommandRun.mdrsctl(["--config", instance.config.path, "purge", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("would erase: personal data of 1 bookings") && dry.stdout.contains("MDRS-2027-0142"),
                "\(dry.stdout)\(dry.stderr)")
        #expect(try bytes(instance).range(of: Data("sian@example.org".utf8)) != nil, "a dry run erased something")

        let purge = try await CommandRun.mdrsctl(["--config", instance.config.path, "purge"])
        #expect(purge.status == 0 && purge.stdout.contains("erased: personal data of 1 bookings"), "\(purge.stdout)\(purge.stderr)")
        let held = try bytes(instance)
        for text in Self.purged {
            #expect(held.range(of: Data(text.utf8)) == nil, "'\(text)' is still in the database or the outbox after the purge")
        }
        for text in Self.kept { #expect(held.range(of: Data(text.utf8)) != nil, "'\(text)', within retention, was erased") }

        let after = try DatabaseQueue(path: instance.database.path)
        let (countsAfter, pending) = try await after.read { db in
            (try Row.fetchAll(db, sql: """
                SELECT strftime('%Y-%m', d.at, 'unixepoch') AS month, j.message, j.role, COUNT(*) AS n FROM delivery d JOIN job j ON j.id = d.job_id
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """).map { "\($0["month"] as String) \($0["message"] as String) \($0["role"] as String) \($0["n"] as Int)" },
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE booking_reference = 'MDRS-2027-0142' AND state IN ('pending', 'retry')") ?? -1)
        }
        try after.close()
        #expect(countsAfter == countsBefore && !countsAfter.isEmpty, "the counts for reports changed: \(countsBefore) → \(countsAfter)")
        #expect(pending == 0)

        // Erasure on request, confirmed.
        let unconfirmed = try await CommandRun.mdrsctl(["--config", instance.config.path, "bookings", "erase", "MDRS-2027-0200"])
        #expect(unconfirmed.status != 0 && unconfirmed.stderr.contains("--yes"), "\(unconfirmed.stderr)")
        let erase = try await CommandRun.mdrsctl(["--config", instance.config.path, "bookings", "erase", "MDRS-2027-0200", "--yes"])
        #expect(erase.status == 0, "\(erase.stderr)")
        let erased = try bytes(instance)
        for text in Self.kept { #expect(erased.range(of: Data(text.utf8)) == nil, "'\(text)' survived the erasure") }
        let jobs = try await CommandRun.mdrsctl(["--config", instance.config.path, "jobs", "list", "--booking", "MDRS-2027-0200", "--format", "json"])
        #expect(!jobs.stdout.contains("\"pending\""), "\(jobs.stdout)")

        // Each act is in the audit trail, by whom, with no personal data.
        let audit = try await CommandRun.mdrsctl(["--config", instance.config.path, "audit", "list", "--format", "json"])
        let trail = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: [[String: String]]])["audit"]
        let actions = trail?.map { "\($0["action"] ?? "") \($0["target"] ?? "")" } ?? []
        #expect(actions.contains { $0.hasPrefix("export MDRS-2027-0142") } && actions.contains { $0.hasPrefix("erase MDRS-2027-0200") }
                && actions.filter { $0.hasPrefix("purge ") }.count == 2, "\(actions)")
        let user = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        #expect(trail?.contains { $0["actor"] == user } == true && trail?.contains { $0["actor"] == "mdrsd" } == true, "\(trail ?? [])")
        #expect(!audit.stdout.contains("@example.org"))
    }
}
