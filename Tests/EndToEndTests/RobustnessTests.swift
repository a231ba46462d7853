import Foundation
import Glibc
import MDRSTestSupport
import MediationDomain
import SQLiteStore
import Store
import Testing

/// Issue 12, tried as a hostile writer and a bad day in production would:
/// oversized input, odd files in the spool, a locked and a full database,
/// a relay without STARTTLS, a flood of alerts, SIGTERM with a backlog.
@Suite(.serialized) struct RobustnessTests {
    func files(_ folder: URL) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }
    func rejected(_ instance: InstanceFolder) -> [String] { files(instance.spool.appendingPathComponent("rejected")) }
    func processed(_ instance: InstanceFolder) -> [String] { files(instance.spool.appendingPathComponent("processed")) }
    func outbox(_ instance: InstanceFolder) -> [String] { files(instance.root.appendingPathComponent("var/outbox")) }

    @Test func oversizedInputIsRejectedBeforeAnyWorkNamingTheField() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        var huge = Bookings.valid(0)
        huge.set("parties.0.name", String(repeating: "N", count: 10_000_000))
        var crowd = Bookings.valid(1)
        crowd["parties"] = (0..<10_000).map { ["role": "parent", "name": "P\($0)", "email": "p\($0)@example.org"] }
        var longReference = Bookings.valid(2)
        longReference["reference"] = String(repeating: "R", count: 5_000_000)
        let cases: [(String, Data, String)] = [
            ("huge-name.json", Bookings.json(huge), "field 'parties[0].name': is too long: at most 100 characters"),
            ("crowd.json", Bookings.json(crowd), "field 'parties': has 10000 entries; at most 20 are allowed"),
            ("long-reference.json", Bookings.json(longReference), "field 'reference': is too long: at most 40 characters"),
            ("too-big.json", Data(repeating: 0x20, count: 11 * 1024 * 1024), "is 11534336 bytes; the limit is 10485760 (spool.max_file_bytes)"),
        ]
        let started = Date()
        for (name, data, _) in cases { try instance.drop(data, as: name) }
        #expect(await TestEnvironment.eventually { rejected(instance).filter { $0.hasSuffix(".error") }.count == cases.count },
                "\(daemon.output)")
        let elapsed = Date().timeIntervalSince(started)
        for (name, _, reason) in cases {
            let error = instance.spool.appendingPathComponent("rejected/\(name).error")
            let text = try String(contentsOf: error, encoding: .utf8)
            #expect(text.contains(reason), "\(name): \(text)")
            // The .error file quotes at most a short excerpt of any value.
            #expect(text.utf8.count < 1000, "\(name): \(text.utf8.count) bytes")
        }
        // A good booking right after goes out as usual: nothing spun on the bad ones.
        try instance.drop(Bookings.json(Bookings.valid(3)), as: "good.json")
        #expect(await TestEnvironment.eventually { outbox(instance).count == 6 }, "\(daemon.output)")
        print("measured: 4 oversized files rejected in \(String(format: "%.2f", elapsed)) s")
        #expect(daemon.stop() == 0)
    }

    @Test func theSpoolTakesOnlyRegularFilesAndNeverBlocksOnOthers() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        let aside = instance.root.appendingPathComponent("aside")
        try FileManager.default.createDirectory(at: aside, withIntermediateDirectories: true)
        // A link to a valid booking only root may read, a FIFO nobody writes, a folder: each renamed in.
        let target = aside.appendingPathComponent("secret.json")
        try Bookings.json(Bookings.valid(0)).write(to: target)
        chmod(target.path, 0o400)
        try FileManager.default.createSymbolicLink(at: aside.appendingPathComponent("link.json"), withDestinationURL: target)
        #expect(mkfifo(aside.appendingPathComponent("pipe.json").path, 0o600) == 0)
        try FileManager.default.createDirectory(at: aside.appendingPathComponent("folder.json"), withIntermediateDirectories: true)
        for name in ["link.json", "pipe.json", "folder.json"] {
            #expect(rename(aside.appendingPathComponent(name).path, instance.spool.appendingPathComponent(name).path) == 0)
        }
        // A file written in place and closed is taken too.
        try Bookings.json(Bookings.valid(1)).write(to: instance.spool.appendingPathComponent("in-place.json"))
        #expect(await TestEnvironment.eventually { rejected(instance).filter { $0.hasSuffix(".error") }.count == 3 }, "\(daemon.output)")
        for (name, reason) in [("link.json", "is a symbolic link"), ("pipe.json", "is a FIFO"), ("folder.json", "is a folder")] {
            let text = try String(contentsOf: instance.spool.appendingPathComponent("rejected/\(name).error"), encoding: .utf8)
            #expect(text.contains("\(name): record 1: field '(file)': \(reason); only regular files are taken"), "\(text)")
        }
        #expect(await TestEnvironment.eventually { processed(instance) == ["in-place.json"] })
        #expect(await TestEnvironment.eventually { outbox(instance).count == 6 })
        let store = try StoreProbe(instance.database)
        #expect(try await store.booking("MDRS-2027-1000") == nil, "the linked booking was ingested")
        #expect(daemon.stop() == 0)
    }

    @Test func aLockedDatabaseNeverRejectsAGoodFile() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        // The start-up purge first: had it met the lock, it would hold the
        // writer for its own 10 s wait and the files' wait could end after
        // the lock did, never seeing it.
        #expect(await TestEnvironment.eventually { daemon.output.contains("retention purge done") }, "\(daemon.output)")
        // Another process holds the database for 15 s (longer than the 10 s busy timeout).
        let lock = Process()
        lock.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        lock.arguments = ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN EXCLUSIVE"); print("LOCKED", flush=True); time.sleep(15); c.execute("ROLLBACK")
            """, instance.database.path]
        let out = Pipe()
        lock.standardOutput = out
        try lock.run()
        _ = out.fileHandleForReading.availableData
        for n in 0..<3 { try instance.drop(Bookings.json(Bookings.valid(n)), as: "booking-\(n).json") }
        // A long `mdrsctl bookings import` meets the same lock: it says so and stores nothing.
        // Both waits take seconds: off the threads every test shares.
        let cli = try await CommandRun.runDetached(TestEnvironment.executable("mdrsctl"), ["--config", instance.config.path, "bookings", "import",
            TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json").path])
        #expect(cli.status == 1 && cli.stderr.contains("nothing was stored; try again shortly"), "\(cli.stderr)")
        while lock.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let released = Date()
        #expect(await TestEnvironment.eventually(seconds: 60) { processed(instance).count == 3 }, "\(daemon.output)")
        let after = Date().timeIntervalSince(released)
        #expect(rejected(instance).isEmpty, "\(rejected(instance))")
        #expect(daemon.output.contains("the store cannot take a booking file now"))
        #expect(await TestEnvironment.eventually { outbox(instance).count == 18 })
        print("measured: 3 files waited out a 15 s lock; all stored \(String(format: "%.1f", after)) s after it was released, 0 rejected")
        #expect(daemon.stop() == 0)
    }

    /// The database on a small tmpfs of its own that the test fills and
    /// empties: a real ENOSPC, first while files arrive, then mid-send.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func aFullDiskDefersFilesAndSendsAndAllGoesWhenSpaceReturns() async throws {
        let sink = try await SMTPSink.start(mode: .slow)
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"\nrequire_tls = false",
                                          database: "state/mdrsd.sqlite")
        let state = instance.root.appendingPathComponent("state"), control = instance.root.appendingPathComponent("control")
        for folder in [state, control] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/full_disk.sh").path
        let daemon = try DaemonProcess(config: instance.config, launcher: [
            "/usr/bin/unshare", "-rm", script, state.path, control.path, TestEnvironment.executable("mdrsctl").path,
            instance.config.path, "8m", "--"])
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        func signal(_ name: String, _ done: String) async -> Bool {
            try? FileManager.default.removeItem(at: control.appendingPathComponent(done))
            _ = FileManager.default.createFile(atPath: control.appendingPathComponent(name).path, contents: nil)
            return await TestEnvironment.eventually { FileManager.default.fileExists(atPath: control.appendingPathComponent(done).path) }
        }

        // Full while 40 good files arrive: none is rejected, all wait.
        #expect(await signal("fill", "filled"))
        for n in 0..<40 { try instance.drop(Bookings.json(Bookings.valid(n)), as: "booking-\(n).json") }
        #expect(await TestEnvironment.eventually { daemon.output.contains("database or disk is full") }, "\(daemon.output)")
        try await Task.sleep(for: .seconds(3))
        #expect(rejected(instance).isEmpty, "\(rejected(instance))")
        #expect(processed(instance).count < 40)
        #expect(await signal("free", "freed"))
        let freed = Date()
        #expect(await TestEnvironment.eventually(seconds: 60) { processed(instance).count == 40 }, "\(daemon.output)")
        let ingestAfter = Date().timeIntervalSince(freed)
        #expect(rejected(instance).isEmpty)

        // Full again while the 240 emails go out through a slow relay. SQLite
        // writes into the space its log already holds until it needs more;
        // then claims and outcomes fail, and those jobs must come back.
        #expect(await TestEnvironment.eventually { sink.count >= 30 })
        #expect(await signal("fill", "filled"))
        let failures = { daemon.output.components(separatedBy: "store unavailable; the email waits").count
            + daemon.output.components(separatedBy: "cannot record a delivery").count - 2 }
        #expect(await TestEnvironment.eventually(seconds: 30) { failures() >= 3 }, "no write failed with the disk full")
        let failed = failures()
        #expect(await signal("free", "freed"))
        let freedAgain = Date()
        let parties = { sink.messages.compactMap { $0.header("Message-ID").first }.filter { !$0.hasPrefix("<admin_alert.") } }
        #expect(await TestEnvironment.eventually(seconds: 60) { Set(parties()).count == 240 }, "\(sink.count) \(daemon.output.suffix(3000))")
        let sendAfter = Date().timeIntervalSince(freedAgain)
        let counts = Dictionary(grouping: parties(), by: { $0 }).mapValues(\.count)
        #expect(counts.values.allSatisfy { $0 <= 2 }, "\(counts.filter { $0.value > 2 })")

        // Nothing is left in `sending` while the daemon runs.
        #expect(await signal("status", "status.json"))
        let status = try JSONSerialization.jsonObject(with: Data(contentsOf: control.appendingPathComponent("status.json"))) as? [String: Any]
        let jobs = try #require(status?["jobs"] as? [String: Int], "\(String(describing: status))")
        #expect(jobs["sending"] == 0, "\(jobs)")
        print("measured: full disk: 40 files, 0 rejected, all stored \(String(format: "%.1f", ingestAfter)) s after space returned; "
              + "240 emails all sent \(String(format: "%.1f", sendAfter)) s after space returned mid-send (\(failed) store failures), "
              + "\(counts.values.filter { $0 > 1 }.count) sent twice (same Message-ID), 0 left in sending")
        #expect(daemon.stop() == 0)
    }

    @Test func sigtermStopsPromptlyWhateverTheBacklog() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"\nrequire_tls = false")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        // 1,200 bookings: 7,200 emails due at once.
        try instance.drop(Bookings.json((0..<1200).map { Bookings.valid($0) }), as: "backlog.json")
        #expect(await TestEnvironment.eventually(seconds: 120) { sink.count >= 200 }, "\(daemon.output.suffix(2000))")
        let asked = Date()
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        let took = Date().timeIntervalSince(asked)
        #expect(daemon.process.terminationStatus == 0)
        #expect(took < 10, "took \(took) s")
        let store = try StoreProbe(instance.database)
        let counts = try await store.store.counts()
        #expect(counts[.sending] == nil, "\(counts)")
        #expect((counts[.pending] ?? 0) > 0, "the backlog was sent before the stop: \(counts)")
        // What went before the stop went once; the rest wait with their Message-IDs.
        let received = Set(sink.messages.compactMap { $0.header("Message-ID").first })
        let sent = try await store.jobs(state: .sent)
        #expect(Set(sent.compactMap(\.messageID)).isSubset(of: received))
        print("measured: SIGTERM with \(counts[.pending] ?? 0) emails pending: exit 0 in \(String(format: "%.2f", took)) s, "
              + "\(sent.count) sent before it, 0 left in sending")
    }

    @Test func aRelayWithoutStartTLSSaysSoAndAReloadTriesAgainAtOnce() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(Bookings.json(Bookings.valid(0)), as: "booking.json")
        let store = try StoreProbe(instance.database)
        // The six party emails, and the staff digest about the mail settings.
        #expect(try await TestEnvironment.eventually { try await store.jobs(state: .retry).count == 7 }, "\(daemon.output)")
        let waiting = try await store.jobs(state: .retry).filter { $0.recipient != .staff }
        #expect(waiting.allSatisfy { $0.waitReason == .configuration && $0.attempts == 0 })
        #expect(waiting.allSatisfy { $0.lastError?.hasPrefix("the relay does not offer STARTTLS, and mail.require_tls is on") == true },
                "\(waiting.map(\.lastError))")
        // The administrator allows plain SMTP on this (loopback) relay and reloads.
        let text = try String(contentsOf: instance.config, encoding: .utf8)
            .replacingOccurrences(of: "smtp_url = \"\(sink.url)\"", with: "smtp_url = \"\(sink.url)\"\nrequire_tls = false")
        try text.write(to: instance.config, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        let reloaded = Date()
        #expect(await TestEnvironment.eventually(seconds: 60) {
            sink.messages.filter { !($0.header("Message-ID").first ?? "").hasPrefix("<admin_alert.") }.count == 6
        }, "\(daemon.output)")
        print("measured: after the reload the 6 waiting emails went in \(String(format: "%.1f", Date().timeIntervalSince(reloaded))) s")
        #expect(daemon.stop() == 0)
    }

    @Test func manyCallsNotPlannedMakeOneDigestNotOneEmailEach() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        // Sixty meetings on one morning: the mediator's week has room for a few calls.
        let crowded = (0..<60).map { n -> [String: Any] in
            var booking = Bookings.valid(n)
            booking.set("meeting.start", "2027-04-06T10:00")
            return booking
        }
        try instance.drop(Bookings.json(crowded), as: "crowded.json")
        #expect(await TestEnvironment.eventually { outbox(instance).contains { $0.hasPrefix("admin_alert.unscheduled_call.") } }, "\(daemon.output)")
        try await Task.sleep(for: .seconds(1))
        let digests = outbox(instance).filter { $0.hasPrefix("admin_alert.") }
        #expect(digests.count == 1, "\(digests)")
        let text = try String(contentsOf: instance.root.appendingPathComponent("var/outbox/\(digests[0])"), encoding: .utf8)
        let store = try StoreProbe(instance.database)
        let unscheduled = try await store.store.unscheduledCalls(meetingsFrom: .distantPast, to: .distantFuture, mediator: nil).count
        #expect(unscheduled > 50)
        #expect(text.contains("(\(unscheduled) alerts)"), "\(text.prefix(600))")
        #expect(text.contains("MDRS-2027-1059"))
        // The same from the CLI: its alerts join the next digest, due in an hour.
        var more = Bookings.valid(99)
        more.set("meeting.start", "2027-04-06T10:00")
        let file = instance.root.appendingPathComponent("more.json")
        try Bookings.json(more).write(to: file)
        let imported = try await CommandRun.mdrsctl(["--config", instance.config.path, "bookings", "import", file.path])
        #expect(imported.status == 0 && imported.stderr.contains("staff are alerted"), "\(imported.stderr)")
        let next = try #require(try await store.waiting().first { $0.message == .adminAlert })
        #expect(next.due > Date().addingTimeInterval(3000))
        #expect(outbox(instance).filter { $0.hasPrefix("admin_alert.") }.count == 1)
        #expect(daemon.stop() == 0)
    }
}
