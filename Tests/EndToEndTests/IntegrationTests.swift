import Foundation
import MDRSTestSupport
import MediationDomain
import MDRSService
import Store
import Testing

/// The whole slice on the real stack: the `mdrsd` binary, SQLite, libcurl
/// and an aiosmtpd server on loopback.
@Suite(.serialized) struct IntegrationTests {
    static let booking = try! Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json"))

    @Test func bookingInTheSpoolIsMailedToEachPartyOverSMTP() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: """
            transport = "smtp"
            smtp_url = "smtp://127.0.0.1:\(sink.port)"
            require_tls = false
            """)
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        #expect(daemon.output.contains("spool=\(instance.spool.path)"))
        try instance.drop(Self.booking, as: "booking.json")

        // A confirmation and a notice of the mediator's call for each party.
        #expect(await TestEnvironment.eventually { sink.messages.count == 6 }, "got \(sink.messages.count) messages; log: \(daemon.output)")
        let messages = sink.messages
        #expect(Set(messages.flatMap(\.rcptTos)) == ["sian@example.org", "tomasz@example.org", "priya.shah@example.org"])
        for message in messages {
            #expect(message.mailFrom == "mediation@example.org")
            #expect(message.rcptTos.count == 1)
            #expect(message.header("From") == ["\"SEND Mediation Service\" <mediation@example.org>"])
            let to = message.header("To")
            #expect(to.count == 1 && to[0].hasSuffix("<\(message.rcptTos[0])>"))
            #expect(message.header("Subject").first?.contains("MDRS-2027-0142") == true)
            #expect(message.header("Date").count == 1)
            let id = message.header("Message-ID").first ?? ""
            #expect(id.hasPrefix("<booking_confirmation.MDRS-2027-0142.v1.") || id.hasPrefix("<prep_call_scheduled.MDRS-2027-0142."), "\(id)")
            // The meeting in its own zone, day-named.
            #expect(message.plainText.contains("Tuesday 23 March 2027, 10am"), "\(message.plainText)")
            // No other party's address anywhere in this one's email.
            for other in ["sian@example.org", "tomasz@example.org", "priya.shah@example.org"] where other != message.rcptTos[0] {
                #expect(!message.data.contains(other))
            }
        }
        #expect(FileManager.default.fileExists(atPath: instance.spool.appendingPathComponent("processed/booking.json").path))
        // Info-level logs carry no personal data.
        for secret in ["sian@example.org", "Siân", "Tomasz", "Priya", "0161 496 0000"] { #expect(!daemon.output.contains(secret)) }
        #expect(daemon.stop() == 0)
    }

    @Test func badBookingIsRejectedAndNothingStoredChanges() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"\noutbox = \"var/outbox\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        try instance.drop(Self.booking, as: "first.json")
        let outbox = instance.root.appendingPathComponent("var/outbox")
        #expect(await TestEnvironment.eventually { ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).count == 6 })
        let store = try StoreProbe(instance.database)
        // Snapshot only once the daemon has recorded every send.
        #expect(try await TestEnvironment.eventually { try await store.jobs().filter { $0.due <= Date() }.allSatisfy { $0.state == .sent } })
        let before = try await store.bookings()
        let jobsBefore = try await store.jobs()

        // Version 2 with a broken address in the second party.
        var broken = try JSONSerialization.jsonObject(with: Self.booking) as! [String: Any]
        broken["version"] = 2
        var parties = broken["parties"] as! [[String: Any]]
        parties[1]["email"] = "tomasz@@example.org"
        broken["parties"] = parties
        try instance.drop(try JSONSerialization.data(withJSONObject: broken), as: "update.json")

        let error = instance.spool.appendingPathComponent("rejected/update.json.error")
        #expect(await TestEnvironment.eventually { FileManager.default.fileExists(atPath: error.path) })
        let reason = try String(contentsOf: error, encoding: .utf8)
        #expect(reason.contains("update.json"))
        #expect(reason.contains("record 1"))
        #expect(reason.contains("parties[1].email"))
        #expect(FileManager.default.fileExists(atPath: instance.spool.appendingPathComponent("rejected/update.json").path))
        #expect(try await store.bookings() == before)
        #expect(try await store.jobs() == jobsBefore)

        // Not JSON at all: rejected too, and the daemon carries on.
        try instance.drop(Data("{ not json".utf8), as: "garbage.json")
        #expect(await TestEnvironment.eventually {
            FileManager.default.fileExists(atPath: instance.spool.appendingPathComponent("rejected/garbage.json.error").path)
        })
        #expect(daemon.process.isRunning)
        var other = try JSONSerialization.jsonObject(with: Self.booking) as! [String: Any]
        other["reference"] = "MDRS-2027-0150"
        try instance.drop(try JSONSerialization.data(withJSONObject: other), as: "other.json")
        #expect(await TestEnvironment.eventually { ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).count == 12 })
        #expect(daemon.stop() == 0)
    }

    @Test func aDeferredEmailIsRetriedAndDelivered() async throws {
        let sink = try await SMTPSink.start(mode: .defer451Once)
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: """
            transport = "smtp"
            smtp_url = "\(sink.url)"
            require_tls = false

            [retry]
            initial_seconds = 1
            jitter = 0
            """)
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "daemon did not start: \(daemon.output)")
        try instance.drop(Self.booking, as: "booking.json")
        // The first DATA is refused with 451; its retry comes a second later.
        #expect(await TestEnvironment.eventually { sink.messages.count == 6 }, "log: \(daemon.output)")
        #expect(daemon.output.contains("email deferred"))
        let store = try StoreProbe(instance.database)
        // The sink stores a message before it replies; the daemon records it after.
        let immediate = { try await store.jobs().filter { $0.due <= Date() } }
        #expect(try await TestEnvironment.eventually { try await immediate().map(\.state) == Array(repeating: .sent, count: 6) })
        #expect(try await immediate().map(\.attempts).sorted() == [1, 1, 1, 1, 1, 2])
        #expect(daemon.stop() == 0)
    }

    @Test func aRefusedRecipientIsNotLoggedByAddress() async throws {
        // The relay's refusal quotes the address; the store keeps it, the log must not.
        let sink = try await SMTPSink.start(mode: .reject550)
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"\nrequire_tls = false")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(Self.booking, as: "booking.json")
        let store = try StoreProbe(instance.database)
        // Six party emails, and the staff digest about them (the relay refuses it too).
        #expect(try await TestEnvironment.eventually { try await store.jobs().filter { $0.state == .dead }.count == 7 }, "\(daemon.output)")
        #expect(try await store.jobs().contains { $0.lastError?.contains("sian@example.org") == true })
        #expect(daemon.output.contains("email failed for good"))
        #expect(daemon.output.contains("<address>"))
        for address in ["sian@example.org", "tomasz@example.org", "priya.shah@example.org"] { #expect(!daemon.output.contains(address)) }
        #expect(daemon.stop() == 0)
    }

    @Test func badConfigStopsStartUpNamingTheKey() throws {
        let instance = try InstanceFolder(mail: "transport = \"pigeon\"")
        let daemon = try DaemonProcess(config: instance.config)
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 1)
        #expect(daemon.output.contains("mail.transport"))
    }
}
