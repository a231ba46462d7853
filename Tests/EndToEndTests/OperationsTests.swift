import Foundation
import Glibc
import MDRSService
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// What an administrator does with a running daemon: import with the CLI,
/// retry a dead letter after fixing the relay settings, read the status, and
/// what the daemon tells them after an outage.
@Suite(.serialized) struct OperationsTests {
    static let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json")

    func outbox(_ instance: InstanceFolder) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: instance.root.appendingPathComponent("var/outbox").path)) ?? []
    }

    @Test func aBookingImportedWithTheCLIIsSentByTheRunningDaemon() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        let imported = try await CommandRun.mdrsctl(["--config", instance.config.path, "bookings", "import", Self.sample.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(await TestEnvironment.eventually { outbox(instance).count == 6 }, "\(outbox(instance)) \(daemon.output)")
        #expect(daemon.output.contains("the store was changed by another process"))
        #expect(daemon.stop() == 0)
    }

    @Test func aDeadLetterIsRetriedAfterTheRelaySettingsAreFixedAndReloaded() async throws {
        let refusing = try await SMTPSink.start(mode: .reject550)
        defer { refusing.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(refusing.url)\"\nrequire_tls = false")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(Data(contentsOf: Self.sample), as: "booking.json")
        let store = try StoreProbe(instance.database)
        // The six party emails die, and so do the staff digests about them
        // (one, or two when the deaths straddle a digest), which raise
        // nothing further.
        let settled = { (jobs: [Job]) in
            let staff = jobs.filter { $0.recipient == .staff }
            return jobs.filter { $0.recipient != .staff && $0.state == .dead }.count == 6 && !staff.isEmpty
                && staff.allSatisfy { $0.state == .dead }
        }
        #expect(try await TestEnvironment.eventually { try await settled(store.jobs()) }, "\(daemon.output)")
        let dead = try await store.jobs(state: .dead)
        #expect((1...2).contains(dead.filter { $0.recipient == .staff }.count))

        let status = try await CommandRun.mdrsctl(["--config", instance.config.path, "status", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((report["jobs"] as? [String: Int])?["dead"] == dead.count, "\(status.stdout)")
        #expect(report["last_outcome"] as? String == "dead")

        // The administrator points mdrsd at a working relay and reloads.
        let working = try await SMTPSink.start()
        defer { working.stop() }
        let text = try String(contentsOf: instance.config, encoding: .utf8).replacingOccurrences(of: refusing.url, with: working.url)
        try text.write(to: instance.config, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await TestEnvironment.eventually { daemon.output.contains("configuration and templates reloaded") })

        let confirmation = try #require(dead.first { $0.message.rawValue == "booking_confirmation" && $0.recipient.roleName == "parent" })
        let retry = try await CommandRun.mdrsctl(["--config", instance.config.path, "outbox", "retry", "\(confirmation.id)"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(await TestEnvironment.eventually { working.messages.count == 1 }, "\(daemon.output)")
        #expect(working.messages.first?.rcptTos == ["sian@example.org"])
        #expect(working.messages.first?.header("Message-ID") == [confirmation.messageID ?? ""])
        #expect(try await TestEnvironment.eventually { try await store.job(confirmation.id)?.state == .sent })

        let again = try await CommandRun.mdrsctl(["--config", instance.config.path, "outbox", "retry", "\(confirmation.id)"])
        #expect(again.status == 1 && again.stderr.contains("is sent"), "\(again.stderr)")
        #expect(daemon.stop() == 0)
    }

    @Test func afterAnOutageStaffGetOneReportOfWhatWentLateAndWhatWasSkipped() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        // While mdrsd was down: a booking stored two hours ago, and one whose
        // meeting (at short notice) has already begun.
        let twoHoursAgo = Date().addingTimeInterval(-7200)
        let upcoming = try BookingParser.parseJSON(Data(contentsOf: Self.sample), file: "booking.json")[0]
        var begun = upcoming
        begun.reference = "MDRS-2027-0199"
        begun.meeting.start = Date().addingTimeInterval(-1800)
        // Its agenda is planned for an hour ago, so it too is overdue.
        let agendaAt = LocalDateTime(Date().addingTimeInterval(-3600), zoneID: "Europe/London").time
        try instance.appendConfig("[planning]\nagenda_time = \"\(agendaAt)\"")
        let ingestor = Ingestor(instance: try await Instance(configPath: instance.config.path))
        _ = try await ingestor.store([upcoming, begun], now: twoHoursAgo)

        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        #expect(await TestEnvironment.eventually { outbox(instance).contains { $0.hasPrefix("admin_alert.outage.") } }, "\(daemon.output)")
        let name = try #require(outbox(instance).first { $0.hasPrefix("admin_alert.outage.") })
        let report = try String(contentsOf: instance.root.appendingPathComponent("var/outbox/\(name)"), encoding: .utf8)
        #expect(report.contains("fell due while mdrsd was not running"))
        // Each party's confirmation and call notice, and the mediator's agenda for today.
        // The short-notice booking's calls could not be planned: that alert was due too.
        #expect(report.contains("Sent late (8)"), "\(report)")
        #expect(report.contains("admin_alert for the staff"))
        #expect(report.contains("mediator_agenda for the mediator"))
        #expect(report.contains("Skipped (3)"), "\(report)")
        #expect(report.contains("MDRS-2027-0199 (parent): its event has passed"))
        #expect(!report.contains("sian@example.org"))
        #expect(outbox(instance).filter { $0.hasPrefix("admin_alert.outage.") }.count == 1)
        #expect(daemon.stop() == 0)
    }

    @Test func aReloadWithANewReminderPlanReplansTheBookingsAhead() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(Data(contentsOf: Self.sample), as: "booking.json")
        #expect(await TestEnvironment.eventually { outbox(instance).count == 6 }, "\(daemon.output)")
        let store = try StoreProbe(instance.database)
        // A file is written before its outcome is recorded: wait for the records.
        #expect(try await TestEnvironment.eventually { try await store.jobs(state: .sent).count == 6 })
        let sent = try await store.jobs(state: .sent)

        try instance.appendConfig("""
            [[reminders]]
            message = "meeting_reminder"
            before = "3d"
            at = "11:00"
            roles = ["parent"]
            """)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await TestEnvironment.eventually { daemon.output.contains("reminders planned again") }, "\(daemon.output)")
        let waiting = try await store.waiting()
        #expect(Set(waiting.map(\.message.rawValue)) == ["meeting_reminder", "mediator_agenda"], "\(waiting.map(\.message.rawValue))")
        #expect(waiting.filter { $0.message.rawValue == "meeting_reminder" }.map(\.recipient.roleName) == ["parent"])
        #expect(waiting.first { $0.message.rawValue == "meeting_reminder" }?.key.hasSuffix(".3d") == true)
        #expect(try await store.jobs(state: .sent) == sent)
        #expect(daemon.stop() == 0)
    }
}
