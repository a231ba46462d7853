import Foundation
import Glibc
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// Several mdrsd instances over one PostgreSQL database, as a service that
/// cannot miss a reminder when a machine fails would run them: each email
/// sent by one instance, the survivors taking over a dead one's claims,
/// changes heard without polling, no mediator double-booked.
@Suite struct PostgresInstancesTests {
    /// An instance folder on the shared database, named `name`.
    static func instance(_ url: String, name: String, mail: String, extra: String = "") throws -> InstanceFolder {
        let folder = try InstanceFolder(mail: mail)
        try folder.appendConfig("[store]\nurl = \"\(url)\"\ninstance = \"\(name)\"\nlease_seconds = 10\n\(extra)")
        return folder
    }

    static func smtp(_ sink: SMTPSink) -> String {
        "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"\nrequire_tls = false\ntimeout_seconds = 5"
    }

    @Test func threeInstancesSendEachEmailOnceAndSurviveOneKilledMidRun() async throws {
        let url = try await PostgresServer.database("failover")
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let instances = try (1...3).map { try Self.instance(url, name: "node\($0)", mail: Self.smtp(sink)) }
        // 170 bookings, each with three confirmations and three call notices due now.
        let file = instances[0].root.appendingPathComponent("bookings.json")
        try Bookings.json((0..<170).map { Bookings.valid($0) }).write(to: file)
        let imported = try await CommandRun.mdrsctl(["--config", instances[0].config.path, "bookings", "import", file.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let probe = try await StoreProbe(postgres: url)
        let due = try await probe.store.jobs(JobQuery(states: JobState.waiting, dueBefore: Date().addingTimeInterval(1)), after: nil,
                                             limit: 10_000)
        #expect(due.count >= 1000, "\(due.count) emails due now")

        let daemons = try instances.map { try DaemonProcess(config: $0.config) }
        for daemon in daemons { #expect(await daemon.waitUntilReady(), "\(daemon.output)") }
        #expect(await TestEnvironment.eventually(seconds: 60) { sink.count >= 200 })
        let killed = daemons[1]
        kill(killed.process.processIdentifier, SIGKILL)
        killed.process.waitUntilExit()
        let atKill = sink.count
        #expect(atKill < due.count, "the run was over before the kill")

        // The survivors send the rest, and take back the dead one's claim when its lease ends.
        let ids = Set(due.map(\.id))
        #expect(try await TestEnvironment.eventually(seconds: 90) {
            let jobs = try await probe.store.jobs(JobQuery(states: [.sent]), after: nil, limit: 10_000)
            return ids.isSubset(of: Set(jobs.map(\.id)))
        }, "\(daemons[0].output.suffix(2000))")
        #expect(try await probe.store.counts()[.sending] == nil, "nothing left claimed")
        let sent = try await probe.store.jobs(JobQuery(states: [.sent]), after: nil, limit: 10_000).filter { ids.contains($0.id) }
        let received = Dictionary(grouping: sink.messages.compactMap { $0.header("Message-ID").first }, by: { $0 }).mapValues(\.count)
        for job in sent {
            let messageID = try #require(job.messageID)
            #expect((1...2).contains(received[messageID] ?? 0), "\(messageID) arrived \(received[messageID] ?? 0) times")
        }
        // Only what the killed instance had in hand went twice (at most four:
        // it runs four due emails at once), with the same Message-ID.
        let twice = received.filter { $0.value > 1 }
        #expect(twice.count <= 4, "\(twice)")
        for (messageID, _) in twice { #expect(sent.first { $0.messageID == messageID }?.attempts == 2) }
        // Every instance did some of the work.
        for (n, daemon) in daemons.enumerated() where n != 1 {
            #expect(daemon.output.contains("email sent"), "node\(n + 1) sent nothing")
        }
        #expect(killed.output.contains("email sent"), "the killed instance sent nothing before the kill")
        #expect(daemons[0].output.contains("another instance stopped while sending") || daemons[2].output.contains("another instance stopped while sending")
                || twice.isEmpty, "a survivor took back the dead instance's claim")
        for (n, daemon) in daemons.enumerated() where n != 1 { #expect(daemon.stop() == 0) }
    }

    @Test func whatOneInstanceOrMdrsctlStoresReachesTheOthersWithoutPolling() async throws {
        let url = try await PostgresServer.database("notify")
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let first = try Self.instance(url, name: "first", mail: Self.smtp(sink))
        let second = try Self.instance(url, name: "second", mail: Self.smtp(sink), extra: "[log]\nlevel = \"debug\"")
        let a = try DaemonProcess(config: first.config), b = try DaemonProcess(config: second.config)
        #expect(await a.waitUntilReady(), "\(a.output)")
        #expect(await b.waitUntilReady(), "\(b.output)")
        // A booking stored through the first instance's spool: the second hears of its jobs.
        try first.drop(BookingFixtures.json(), as: "booking.json")
        #expect(await TestEnvironment.eventually { b.output.contains("jobs announced by another process") }, "\(b.output)")
        #expect(await TestEnvironment.eventually { sink.count == 6 }, "three confirmations and three call notices")
        #expect(Set(sink.messages.compactMap { $0.header("Message-ID").first }).count == 6, "each sent once")
        // With the first instance gone, a retry by mdrsctl reaches the second at once.
        #expect(a.stop() == 0)
        let probe = try await StoreProbe(postgres: url)
        let reminder = try #require(try await probe.waiting().first { $0.message == .meetingReminder })
        let retried = try await CommandRun.mdrsctl(["--config", first.config.path, "outbox", "retry", "\(reminder.id)"])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(await TestEnvironment.eventually { sink.count == 7 }, "\(b.output.suffix(1500))")
        #expect(try await TestEnvironment.eventually { try await probe.job(reminder.id)?.state == .sent })
        #expect(b.stop() == 0)
    }

    @Test func twoInstancesIngestingForOneMediatorAtOnceNeverOverlapItsCalls() async throws {
        let url = try await PostgresServer.database("ingest")
        let instances = try (1...2).map { try Self.instance(url, name: "node\($0)", mail: "transport = \"file\"\ntimeout_seconds = 5") }
        // Two files of meetings in the same fortnight for the one mediator, stored at the same moment.
        let files = try (0..<2).map { side in
            let file = instances[side].root.appendingPathComponent("side\(side).json")
            try Bookings.json((0..<24).map { Bookings.valid($0 * 2 + side) }).write(to: file)
            return file
        }
        let runs = try await withThrowingTaskGroup(of: CommandRun.self) { group in
            for (instance, file) in zip(instances, files) {
                group.addTask {
                    try await CommandRun.runDetached(TestEnvironment.executable("mdrsctl"),
                                                     ["--config", instance.config.path, "bookings", "import", file.path])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for run in runs { #expect(run.status == 0, "\(run.stdout)\(run.stderr)") }
        let probe = try await StoreProbe(postgres: url)
        #expect(try await probe.bookings().count == 48)
        let calls = try await probe.store.calls(from: Date(timeIntervalSince1970: 0), to: Date().addingTimeInterval(400 * 86_400),
                                                mediator: "m.okafor").sorted { $0.start < $1.start }
        #expect(calls.count > 48, "\(calls.count) calls planned")
        for (earlier, later) in zip(calls, calls.dropFirst()) {
            #expect(earlier.end <= later.start, "\(earlier.booking) and \(later.booking) overlap at \(later.start)")
        }
    }

    @Test func mdrsctlWorksOnPostgresAndCopiesAnSQLiteStoreIntoIt() async throws {
        let url = try await PostgresServer.database("copy")
        // An SQLite instance with history: bookings, a sent email, an audit trail.
        let sqlite = try InstanceFolder(mail: "transport = \"file\"\noutbox = \"var/outbox\"")
        let daemon = try DaemonProcess(config: sqlite.config)
        #expect(await daemon.waitUntilReady())
        try sqlite.drop(Bookings.json([Bookings.valid(0), Bookings.valid(1)]), as: "two.json")
        #expect(await TestEnvironment.eventually { daemon.output.components(separatedBy: "email sent").count - 1 == 12 }, "\(daemon.output)")
        #expect(daemon.stop() == 0)
        let before = try await CommandRun.mdrsctl(["--config", sqlite.config.path, "jobs", "list", "--format", "json"])

        let copy = try await CommandRun.mdrsctl(["--config", sqlite.config.path, "store", "copy", "--to", url])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("job") && copy.stdout.contains("done"), "\(copy.stdout)")
        let again = try await CommandRun.mdrsctl(["--config", sqlite.config.path, "store", "copy", "--to", url])
        #expect(again.status != 0 && again.stderr.contains("empty database"), "a second copy is refused: \(again.stderr)")

        // The same instance on PostgreSQL: mdrsctl sees exactly what SQLite held.
        try sqlite.appendConfig("[store]\nurl = \"\(url)\"\ninstance = \"moved\"")
        let after = try await CommandRun.mdrsctl(["--config", sqlite.config.path, "jobs", "list", "--format", "json"])
        #expect(after.status == 0 && after.stdout == before.stdout, "\(after.stderr)")
        let status = try await CommandRun.mdrsctl(["--config", sqlite.config.path, "status", "--format", "json"])
        #expect(status.status == 0 && status.stdout.contains("postgresql"), "\(status.stdout)")
        #expect(try await CommandRun.mdrsctl(["--config", sqlite.config.path, "check-config"]).status == 0)
        // The daemon on PostgreSQL goes on from there: nothing sent twice, the next email new.
        let moved = try DaemonProcess(config: sqlite.config)
        #expect(await moved.waitUntilReady(), "\(moved.output)")
        let probe = try await StoreProbe(postgres: url)
        let reminder = try #require(try await probe.waiting().first { $0.message == .meetingReminder })
        #expect(try await CommandRun.mdrsctl(["--config", sqlite.config.path, "outbox", "retry", "\(reminder.id)"]).status == 0)
        #expect(await TestEnvironment.eventually { moved.output.contains("email sent") }, "\(moved.output)")
        #expect(moved.output.components(separatedBy: "email sent").count - 1 == 1)
        #expect(moved.stop() == 0)
    }
}
