import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// Emails and invitations as real parsers read them: Python's `email` and
/// `icalendar` (Tests/Support/check_invite.py).
@Suite(.serialized) struct CalendarInviteTests {
    func parse(_ eml: URL) async throws -> [String: Any] {
        let run = try await CommandRun.runDetached(URL(fileURLWithPath: TestEnvironment.python), [
            TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/check_invite.py").path, eml.path])
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func confirmationCarriesAnInviteThatChangesInPlace() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"\noutbox = \"var/outbox\"")
        let daemon = try DaemonProcess(config: instance.config)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json")
        try instance.drop(try Data(contentsOf: sample), as: "v1.json")
        let outbox = instance.root.appendingPathComponent("var/outbox")
        let v1 = outbox.appendingPathComponent("booking_confirmation.MDRS-2027-0142.v1.parent.0@example.org.eml")
        #expect(await TestEnvironment.eventually { FileManager.default.fileExists(atPath: v1.path) }, "\(daemon.output)")

        let first = try await parse(v1)
        #expect(first["content_types"] as? [String] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"])
        #expect(first["method_param"] as? String == "REQUEST")
        #expect(first["ics_method"] as? String == "REQUEST")
        #expect(first["uid"] as? String == "meeting.MDRS-2027-0142@example.org")
        #expect(first["sequence"] as? Int == 0)
        #expect(first["dtstart_tzid"] as? String == "Europe/London")
        #expect(first["timezones"] as? [String] == ["Europe/London"])
        #expect(first["dtstart_utc"] as? String == "2027-03-23T10:00:00+00:00")
        #expect(first["summary"] as? String == "Mediation meeting (MDRS-2027-0142)")
        #expect(first["attendees"] as? [String] == ["mailto:sian@example.org"])
        #expect((first["text"] as? String)?.contains("Tuesday 23 March 2027, 10am") == true)
        #expect((first["html"] as? String)?.contains("Siân Ó Briain") == true)

        // The mediator's call with the family: an event of its own.
        let files = { try FileManager.default.contentsOfDirectory(atPath: outbox.path) }
        #expect(try await TestEnvironment.eventually { try files().contains { $0.hasPrefix("prep_call_scheduled.MDRS-2027-0142.parent.0.") } })
        let callFile = try #require(try files().first { $0.hasPrefix("prep_call_scheduled.MDRS-2027-0142.parent.0.") })
        let call = try await parse(outbox.appendingPathComponent(callFile))
        #expect(call["method_param"] as? String == "REQUEST")
        #expect(call["ics_method"] as? String == "REQUEST")
        #expect(call["uid"] as? String == "call.MDRS-2027-0142.family@example.org")
        #expect(call["sequence"] as? Int == 0)
        #expect(call["dtstart_tzid"] as? String == "Europe/London")
        #expect(call["dtstart_utc"] as? String == "2027-03-16T09:00:00+00:00")
        #expect(call["summary"] as? String == "Phone call with your mediator (MDRS-2027-0142)")
        #expect((call["subject"] as? String) == "Your mediator's call: Tuesday 16 March, 9am (MDRS-2027-0142)")

        // Version 2 moves the meeting into British Summer Time: same event, next sequence.
        var moved = try JSONSerialization.jsonObject(with: Data(contentsOf: sample)) as! [String: Any]
        moved["version"] = 2
        var meeting = moved["meeting"] as! [String: Any]
        meeting["start"] = "2027-06-15T10:00"
        moved["meeting"] = meeting
        try instance.drop(try JSONSerialization.data(withJSONObject: moved), as: "v2.json")
        let v2 = outbox.appendingPathComponent("booking_changed.MDRS-2027-0142.v2.parent.0@example.org.eml")
        #expect(await TestEnvironment.eventually { FileManager.default.fileExists(atPath: v2.path) }, "\(daemon.output)")
        let second = try await parse(v2)
        #expect(second["uid"] as? String == "meeting.MDRS-2027-0142@example.org")
        #expect(second["sequence"] as? Int == 1)
        #expect(second["dtstart_utc"] as? String == "2027-06-15T09:00:00+00:00")
        #expect((second["text"] as? String)?.contains("Tuesday 15 June 2027, 10am") == true)
        #expect((second["subject"] as? String) == "Your meeting has changed: now Tuesday 15 June (MDRS-2027-0142)")
        // It says what changed since the version the reader was sent.
        #expect((second["text"] as? String)?.contains("Day: Tuesday 15 June 2027 (was Tuesday 23 March 2027)") == true,
                "\(second["text"] ?? "")")
        // The call moves with it: the same call event, updated.
        #expect(try await TestEnvironment.eventually { try files().filter { $0.hasPrefix("prep_call_scheduled.MDRS-2027-0142.parent.0.") }.count == 2 })
        let movedCallFile = try #require(try files().first { $0.hasPrefix("prep_call_scheduled.MDRS-2027-0142.parent.0.") && $0 != callFile })
        let movedCall = try await parse(outbox.appendingPathComponent(movedCallFile))
        #expect(movedCall["uid"] as? String == "call.MDRS-2027-0142.family@example.org")
        #expect(movedCall["sequence"] as? Int == 1)
        #expect((movedCall["dtstart_utc"] as? String)?.hasPrefix("2027-06-") == true, "\(movedCall)")

        // Version 3 calls it off: METHOD:CANCEL in the object and on the part.
        moved["version"] = 3
        moved["status"] = "cancelled"
        try instance.drop(try JSONSerialization.data(withJSONObject: moved), as: "v3.json")
        let v3 = outbox.appendingPathComponent("booking_cancelled.MDRS-2027-0142.v3.parent.0@example.org.eml")
        #expect(await TestEnvironment.eventually { FileManager.default.fileExists(atPath: v3.path) }, "\(daemon.output)")
        let third = try await parse(v3)
        #expect(third["method_param"] as? String == "CANCEL")
        #expect(third["ics_method"] as? String == "CANCEL")
        #expect(third["uid"] as? String == "meeting.MDRS-2027-0142@example.org")
        #expect(third["sequence"] as? Int == 2)
        #expect((third["text"] as? String)?.contains("is cancelled") == true)
        // The family's call goes too, with its own cancellation: the same call event, METHOD:CANCEL.
        #expect(try await TestEnvironment.eventually { try files().contains { $0.hasPrefix("prep_call_cancelled.MDRS-2027-0142.parent.0.") } })
        let callCancelled = try await parse(outbox.appendingPathComponent(try #require(try files().first {
            $0.hasPrefix("prep_call_cancelled.MDRS-2027-0142.parent.0.")
        })))
        #expect(callCancelled["method_param"] as? String == "CANCEL")
        #expect(callCancelled["ics_method"] as? String == "CANCEL")
        #expect(callCancelled["uid"] as? String == "call.MDRS-2027-0142.family@example.org")
        #expect(callCancelled["sequence"] as? Int == 2)
        #expect(callCancelled["dtstart_utc"] as? String == movedCall["dtstart_utc"] as? String)
        #expect((callCancelled["text"] as? String)?.contains("will not phone you") == true)
        #expect(try files().filter { $0.hasPrefix("prep_call_cancelled.") }.count == 3)
        // Every party is told, each in their own email.
        let cancellations = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasPrefix("booking_cancelled.") }
        #expect(cancellations.count == 3)
        #expect(daemon.stop() == 0)
    }
}
