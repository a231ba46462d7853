import Foundation
import GRDB
import Mailer
import SQLiteStore
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// Bounces end to end: the real `mdrsd` sends through aiosmtpd with signed
/// envelope senders; bounces in the shapes real servers send are put into a
/// real Dovecot; the daemon reads them over IMAP with libcurl, marks the
/// emails, alerts staff and holds later emails to the address.
@Suite(.serialized) struct BounceTests {
    static let key = "a-bounce-key-for-tests-0123456789abcdef"
    static let reference = "MDRS-2027-0142"

    /// An instance sending to `sink`, without `[bounces]`.
    func instance(sink: SMTPSink) throws -> InstanceFolder {
        try InstanceFolder(mail: """
            transport = "smtp"
            smtp_url = "smtp://127.0.0.1:\(sink.port)"
            require_tls = false
            """)
    }

    /// An instance sending to `sink` and reading bounces from `server`.
    func instance(sink: SMTPSink, server: IMAPServer, password: String? = nil) throws -> InstanceFolder {
        let instance = try instance(sink: sink)
        try addBounces(to: instance, server: server, password: password)
        return instance
    }

    func addBounces(to instance: InstanceFolder, server: IMAPServer, password: String? = nil) throws {
        try Self.key.write(to: instance.root.appendingPathComponent("bounce.key"), atomically: true, encoding: .utf8)
        try (password ?? server.password).write(to: instance.root.appendingPathComponent("imap.password"), atomically: true, encoding: .utf8)
        try instance.appendConfig("""
            [bounces]
            return_path = "bounces@example.org"
            key_file = "bounce.key"
            imap_url = "\(server.url)"
            username = "\(server.username)"
            password_file = "imap.password"
            ca_file = "\(server.certificate)"
            interval_seconds = 1
            """)
    }

    func booking(version: Int = 1, _ edit: (inout [String: Any]) -> Void = { _ in }) -> Data {
        BookingFixtures.json {
            $0["version"] = version
            edit(&$0)
        }
    }

    /// The sent email to `recipient` whose Message-ID starts with `message`.
    func sent(_ sink: SMTPSink, _ message: String, to recipient: String) throws -> ReceivedMessage {
        try #require(sink.messages.first { $0.rcptTos == [recipient] && ($0.header("Message-ID").first ?? "").hasPrefix("<\(message).") })
    }

    func bounce(_ fixture: String, for message: ReceivedMessage, returnPath: String? = nil) throws -> [UInt8] {
        try BounceFixtures.message(fixture, returnPath: returnPath ?? message.mailFrom, recipient: message.rcptTos[0],
                                   messageID: message.header("Message-ID").first ?? "")
    }

    func alerts(_ database: URL, cause: String) throws -> [String] {
        try DatabaseQueue(path: database.path).read { db in
            try String.fetchAll(db, sql: "SELECT detail FROM staff_alert WHERE cause = ? ORDER BY id", arguments: [cause])
        }
    }

    func statusReport(_ instance: InstanceFolder) async throws -> [String: Any] {
        let run = try await CommandRun.mdrsctl(["--config", instance.config.path, "status", "--format", "json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
    }

    @Test func bouncesAreTracedToTheirEmailsAlertedAndLaterEmailsHeldUntilTheAddressChanges() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let server = try await IMAPServer.start()
        defer { server.stop() }
        let instance = try instance(sink: sink, server: server)
        var daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        try instance.drop(booking(), as: "booking.json")
        #expect(await TestEnvironment.eventually { sink.messages.count >= 6 }, "log: \(daemon.output)")

        // 1. Every email leaves with its own signed envelope sender.
        let address = BounceAddress(returnPath: "bounces@example.org", key: Data(Self.key.utf8))
        let store = try StoreProbe(instance.database)
        for message in sink.messages {
            guard case .job(let id) = address.verify(in: message.mailFrom) else {
                Issue.record("unsigned envelope sender \(message.mailFrom)")
                continue
            }
            #expect(try await store.job(id)?.messageID == message.header("Message-ID").first)
        }
        let parentConfirmation = try sent(sink, "booking_confirmation", to: "sian@example.org")
        let parentCall = try sent(sink, "prep_call_scheduled", to: "sian@example.org")
        let officerConfirmation = try sent(sink, "booking_confirmation", to: "priya.shah@example.org")
        let officerCall = try sent(sink, "prep_call_scheduled", to: "priya.shah@example.org")
        let advocateConfirmation = try sent(sink, "booking_confirmation", to: "tomasz@example.org")
        let advocateCall = try sent(sink, "prep_call_scheduled", to: "tomasz@example.org")
        // The advocate's call token with the last character of its MAC changed.
        var forged = Array(advocateCall.mailFrom)
        let at = forged.firstIndex(of: "@")!
        forged[at - 1] = forged[at - 1] == "a" ? "b" : "a"

        // 2. Bounces in the shapes real servers send, and what is not a bounce.
        #expect(try await TestEnvironment.eventually { try await store.jobs().filter { $0.state == .sent }.count >= 6 })
        try await server.append(bounce("postfix", for: parentConfirmation))
        try await server.append(bounce("exim", for: parentCall))
        // No token (a relay rewrote the envelope): matched by the original's Message-ID.
        try await server.append(bounce("microsoft365", for: officerConfirmation, returnPath: "bounces@example.org"))
        try await server.append(bounce("gmail", for: officerCall))
        try await server.append(bounce("delayed", for: advocateConfirmation))
        try await server.append(bounce("postfix", for: advocateCall, returnPath: String(forged)))
        try await server.append(bounce("qmail", for: advocateCall, returnPath: address.sender(forJob: 999_999)))
        try await server.append(bounce("vacation", for: parentConfirmation))
        try await server.append(bounce("person", for: parentConfirmation))
        let uids = Array(1...9).map(UInt32.init)
        #expect(try await TestEnvironment.eventually(seconds: 30) {
            let flags = try await server.flags()
            return uids.allSatisfy { flags[$0]?.contains("MdrsdRead") == true || flags[$0]?.contains("MdrsdLeft") == true }
        }, "log: \(daemon.output)")
        let flags = try await server.flags()
        for uid in [1, 2, 3, 4, 5, 6, 8] as [UInt32] { #expect(flags[uid]?.isSuperset(of: ["\\Seen", "MdrsdRead"]) == true, "\(uid): \(flags)") }
        for uid in [7, 9] as [UInt32] { #expect(flags[uid] == ["MdrsdLeft"], "left unread for a person: \(uid): \(flags)") }

        // 3. The failed emails are bounced; the delayed and forged ones stay sent.
        let states = try await Dictionary(store.jobs().compactMap { job in job.messageID.map { ($0, job.state) } }) { first, _ in first }
        func now(_ message: ReceivedMessage) -> JobState? { states[message.header("Message-ID").first ?? ""] }
        #expect([parentConfirmation, parentCall, officerConfirmation, officerCall].map(now) == Array(repeating: .bounced, count: 4))
        #expect([advocateConfirmation, advocateCall].map(now) == [.sent, .sent])
        let status = try await statusReport(instance)
        #expect((status["jobs"] as? [String: Int])?["bounced"] == 4)
        #expect(status["bounce_mailbox_30_days"] as? [String: Int]
                == ["failed": 4, "delayed": 1, "forged": 1, "unmatched": 1, "not_a_bounce": 1, "unreadable": 1])
        let log = try await store.store.deliveries(from: .distantPast, to: .distantFuture)
        #expect(log.contains { $0.outcome == "delayed" && $0.job.messageID == advocateConfirmation.header("Message-ID").first
            && $0.reply.hasPrefix("4.4.1") })

        // 4. One alert per bounced email, naming the booking, the role and
        // the message, without the address; staff get it as a digest.
        let details = try alerts(instance.database, cause: "bounced")
        #expect(details.count == 4, "\(details)")
        for (detail, expected) in zip(details, ["booking_confirmation email to the parent", "prep_call_scheduled email to the parent",
                                                "booking_confirmation email to the local authority", "prep_call_scheduled email to the local authority"]) {
            #expect(detail.contains(expected) && detail.contains(Self.reference) && detail.contains("Please phone them"), "\(detail)")
            #expect(!detail.contains("@"), "no address in an alert: \(detail)")
        }
        #expect(await TestEnvironment.eventually {
            sink.messages.contains { $0.rcptTos == ["mediation@example.org"] && $0.plainText.contains("Emails bounced") && $0.plainText.contains(Self.reference) }
        }, "no staff digest; log: \(daemon.output)")

        // 5. A crash after recording a message but before marking it: read
        // again, nothing counted twice, no second alert.
        #expect(daemon.stop() == 0)
        try await server.removeKeyword("MdrsdRead", uid: 1)
        daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        #expect(try await TestEnvironment.eventually { try await server.flags()[1]?.contains("MdrsdRead") == true })
        #expect(try alerts(instance.database, cause: "bounced").count == 4)
        #expect((try await statusReport(instance)["bounce_mailbox_30_days"] as? [String: Int])?["failed"] == 4)
        // Read by hand: nothing new.
        let byHand = try await CommandRun.mdrsctl(["--config", instance.config.path, "bounces", "--format", "json"])
        #expect(byHand.status == 0 && (try? JSONSerialization.jsonObject(with: Data(byHand.stdout.utf8)) as? [String: Int])?.isEmpty == true, "\(byHand.stdout) \(byHand.stderr)")

        // 6. The meeting moves: the advocate is told; the parent's and the
        // officer's emails are held and listed.
        try instance.drop(booking(version: 2) { $0.set("meeting.start", "2027-03-30T10:00") }, as: "moved.json")
        #expect(await TestEnvironment.eventually {
            sink.messages.contains { $0.rcptTos == ["tomasz@example.org"] && ($0.header("Message-ID").first ?? "").hasPrefix("<booking_changed.") }
        }, "log: \(daemon.output)")
        #expect(try await TestEnvironment.eventually {
            let held = try await store.jobs(state: .held)
            return Set(held.map(\.recipient.roleName)) == ["parent", "local_authority"] && held.contains { $0.message == .bookingChanged }
        }, "log: \(daemon.output)")
        let listed = try #require(try await statusReport(instance)["held"] as? [[String: Any]])
        #expect(listed.contains { $0["role"] as? String == "parent" && $0["message"] as? String == "booking_changed" && $0["booking"] as? String == Self.reference })
        #expect(!sink.messages.contains { $0.rcptTos == ["sian@example.org"] && ($0.header("Message-ID").first ?? "").hasPrefix("<booking_changed.") })
        let table = try await CommandRun.mdrsctl(["--config", instance.config.path, "status"])
        #expect(table.stdout.contains("held because an earlier email to the address bounced"), "\(table.stdout)")

        // 7. A corrected address: the parent is confirmed afresh there; the
        // officer's address has not changed, so theirs stay held.
        try instance.drop(booking(version: 3) {
            $0.set("meeting.start", "2027-03-30T10:00")
            $0.set("parties.0.email", "sian.corrected@example.org")
        }, as: "corrected.json")
        #expect(await TestEnvironment.eventually {
            sink.messages.contains { $0.rcptTos == ["sian.corrected@example.org"] && ($0.header("Message-ID").first ?? "").hasPrefix("<booking_confirmation.") }
        }, "log: \(daemon.output)")
        #expect(try await TestEnvironment.eventually {
            Set(try await store.jobs(state: .held).map(\.recipient.roleName)) == ["local_authority"]
        })
        #expect(!sink.messages.contains { $0.rcptTos == ["sian@example.org"] && ($0.header("Message-ID").first ?? "").contains(".v3.") })
        let bouncedList = try await CommandRun.mdrsctl(["--config", instance.config.path, "jobs", "list", "--state", "bounced", "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(bouncedList.stdout.utf8)) as? [String: Any])?["jobs"].map { ($0 as? [Any])?.count } == 4,
                "\(bouncedList.stdout)")

        // Info-level logs carry no personal data.
        for secret in ["sian@example.org", "priya.shah@example.org", "tomasz@example.org", Self.key, server.password] {
            #expect(!daemon.output.contains(secret), "\(secret) in the log")
        }
        #expect(daemon.stop() == 0)
    }

    @Test func bouncesTurnedOnByAReloadAreRead() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let server = try await IMAPServer.start()
        defer { server.stop() }
        let instance = try instance(sink: sink)
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        try addBounces(to: instance, server: server)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await TestEnvironment.eventually { daemon.output.contains("configuration and templates reloaded") }, "\(daemon.output)")
        try instance.drop(booking(), as: "booking.json")
        #expect(await TestEnvironment.eventually { sink.messages.count >= 6 }, "log: \(daemon.output)")
        let confirmation = try sent(sink, "booking_confirmation", to: "sian@example.org")
        #expect(confirmation.mailFrom.hasPrefix("bounces+"), "signed after the reload: \(confirmation.mailFrom)")
        try await server.append(bounce("postfix", for: confirmation))
        let store = try StoreProbe(instance.database)
        #expect(try await TestEnvironment.eventually { try await store.jobs(state: .bounced).count == 1 }, "log: \(daemon.output)")
        #expect(try await server.flags()[1]?.contains("MdrsdRead") == true)
        #expect(daemon.stop() == 0)
    }

    @Test func aMailboxTheReaderCannotLogInToAlertsStaffOnce() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let server = try await IMAPServer.start()
        defer { server.stop() }
        let instance = try instance(sink: sink, server: server, password: "not-the-password")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        #expect(await TestEnvironment.eventually {
            sink.messages.contains { $0.rcptTos == ["mediation@example.org"] && $0.plainText.contains("Bounces cannot be read") }
        }, "log: \(daemon.output)")
        // Several passes fail (one a second), one alert.
        try await Task.sleep(for: .seconds(3))
        #expect(try alerts(instance.database, cause: "bounce_configuration").count == 1)
        #expect(daemon.output.contains("cannot read the bounce mailbox: its settings need attention"))
        #expect(!daemon.output.contains("not-the-password"))
        let byHand = try await CommandRun.mdrsctl(["--config", instance.config.path, "bounces"])
        #expect(byHand.status == 1 && byHand.stderr.contains("refused the bounce mailbox's username and password"), "\(byHand.stderr)")
        #expect(daemon.stop() == 0)
    }
}
