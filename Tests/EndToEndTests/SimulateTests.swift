import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// `mdrsctl simulate`: the real scheduler on a virtual clock over a copy of
/// the store, through the clock change and Christmas.
@Suite struct SimulateTests {
    @Test func travelsThroughTheClockChangeAndChristmasWithVirtualDates() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"", quietHours: true)
        let sample = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json"))) as! [String: Any]
        func booking(_ reference: String, _ start: String) -> [String: Any] {
            var booking = sample
            booking["reference"] = reference
            var meeting = booking["meeting"] as! [String: Any]
            meeting["start"] = start
            booking["meeting"] = meeting
            return booking
        }
        let file = instance.root.appendingPathComponent("two.json")
        try JSONSerialization.data(withJSONObject: [booking("MDRS-2027-0330", "2027-03-30T10:00"),
                                                    booking("MDRS-2027-1222", "2027-12-22T14:00")]).write(to: file)
        let imported = try await CommandRun.mdrsctl(["--config", instance.config.path, "bookings", "import", file.path])
        #expect(imported.status == 0, "\(imported.stderr)")

        let outbox = instance.root.appendingPathComponent("simulated")
        let run = try await CommandRun.mdrsctl(["--config", instance.config.path, "simulate", "--from", "2027-03-20T00:00",
                                          "--to", "2028-01-05T00:00", "--outbox", outbox.path, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let events = try #require(json["events"] as? [[String: Any]])
        func at(_ message: String, _ booking: String, _ role: String) -> [String] {
            events.filter { $0["message"] as? String == message && $0["booking"] as? String == booking && $0["role"] as? String == role }
                .compactMap { $0["at"] as? String }
        }
        // Overdue confirmations fire when the clock starts; the family's wait for 08:00.
        #expect(at("booking_confirmation", "MDRS-2027-0330", "local_authority") == ["2027-03-20T00:00:00+00:00"])
        #expect(at("booking_confirmation", "MDRS-2027-0330", "parent") == ["2027-03-20T08:00:00+00:00"])
        // Two days before at 10:00 local: Sunday 28 March is the first day of BST.
        #expect(at("meeting_reminder", "MDRS-2027-0330", "parent") == ["2027-03-28T10:00:00+01:00", "2027-03-30T08:00:00+01:00"])
        // Christmas: the certificate is due Wednesday 29 December, reminded Thursday 23rd.
        #expect(at("certificate_due", "MDRS-2027-1222", "mediator") == ["2027-12-23T09:00:00+00:00"])
        #expect(events.allSatisfy { $0["outcome"] as? String == "sent" }, "\(events.filter { $0["outcome"] as? String != "sent" })")

        let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        let reminder = try #require(files.first { $0.hasPrefix("meeting_reminder.MDRS-2027-0330.parent.0.") && $0.contains(".2d@") })
        let email = try String(contentsOf: outbox.appendingPathComponent(reminder), encoding: .utf8)
        #expect(email.contains("Date: Sun, 28 Mar 2027 09:00:00 +0000\r\n"))
        #expect(email.contains("Tuesday 30 March 2027, 10am"))
        let certificate = try #require(files.first { $0.hasPrefix("certificate_due.MDRS-2027-1222") })
        let certificateMail = try String(contentsOf: outbox.appendingPathComponent(certificate), encoding: .utf8)
        #expect(certificateMail.contains("Subject: Certificate due by Wednesday 29 December 2027 (MDRS-2027-1222)"))
        #expect(certificateMail.contains("Date: Thu, 23 Dec 2027 09:00:00 +0000\r\n"))

        // The real queue is untouched.
        let status = try await CommandRun.mdrsctl(["--config", instance.config.path, "status", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((report["jobs"] as? [String: Int])?["sent"] == 0)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: instance.root.appendingPathComponent("var/outbox").path)) ?? []).isEmpty)
    }

    @Test func refusesToEmailRealPeopleWithoutBeingTold() async throws {
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:1\"")
        let run = try await CommandRun.mdrsctl(["--config", instance.config.path, "simulate"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--outbox"))
    }
}
