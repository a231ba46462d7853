import Foundation
import Glibc
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// Killing the daemon with SIGKILL in the middle of a batch loses nothing:
/// after a restart every job ends sent, once or (if the relay had it just
/// before the kill) twice with the same Message-ID.
@Suite(.serialized) struct CrashRecoveryTests {
    @Test func sigkillDuringABatchLosesNoEmail() async throws {
        // A relay that takes ten messages and then hangs, so the kill always
        // lands mid-batch however fast or loaded the machine is.
        let sink = try await SMTPSink.start(mode: .pauseAtTen)
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"\nrequire_tls = false")
        // Forty bookings, three emails each, in one file.
        let sample = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json"))) as! [String: Any]
        let bookings = (0..<40).map { n -> [String: Any] in
            var booking = sample
            booking["reference"] = String(format: "MDRS-2027-%04d", 1000 + n)
            return booking
        }
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(try JSONSerialization.data(withJSONObject: bookings), as: "batch.json")
        #expect(await TestEnvironment.eventually { sink.messages.count >= 10 })
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        let beforeRestart = sink.messages.count
        #expect(beforeRestart == 10, "the batch finished before the kill; nothing was interrupted (\(beforeRestart) sent)")
        try sink.resume()
        // Reminders fall due in March; what the batch sends now is each
        // party's confirmation and, where a call fitted, its notice.
        let immediate = { (jobs: [Job]) in jobs.filter { [.bookingConfirmation, .prepCallScheduled].contains($0.message) } }

        let restarted = try DaemonProcess(config: instance.config)
        #expect(await restarted.waitUntilReady(), "\(restarted.output)")
        let store = try StoreProbe(instance.database)
        #expect(try await TestEnvironment.eventually(seconds: 60) { try await immediate(store.jobs()).allSatisfy { $0.state == .sent } },
                "\(restarted.output)")
        let jobs = try await immediate(store.jobs())
        #expect(jobs.filter { $0.message.rawValue == "booking_confirmation" }.count == 120)
        let received = sink.messages.compactMap { $0.header("Message-ID").first }
        let counts = Dictionary(grouping: received, by: { $0 }).mapValues(\.count)
        for job in jobs {
            let id = try #require(job.messageID)
            #expect((1...2).contains(counts[id] ?? 0), "\(id) arrived \(counts[id] ?? 0) times")
        }
        // Forty meetings on one day exceed the mediator's calls, so staff are
        // also alerted about calls not planned, in a digest job of its own.
        #expect(Set(counts.keys.filter { !$0.hasPrefix("<admin_alert.") }) == Set(jobs.compactMap(\.messageID)))
        #expect(counts.keys.filter { $0.hasPrefix("<admin_alert.unscheduled_call.") }.count == 1, "\(counts.keys.sorted())")
        #expect(restarted.stop() == 0)
    }
}
