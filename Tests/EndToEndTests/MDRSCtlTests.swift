import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// `mdrsctl` as an administrator runs it: the real binary, a real config.
@Suite struct MDRSCtlTests {
    func mdrsctl(_ arguments: [String]) async throws -> CommandRun { try await CommandRun.mdrsctl(arguments) }

    /// A run that must succeed.
    func succeeding(_ arguments: [String]) async throws -> CommandRun {
        let run = try await CommandRun.mdrsctl(arguments)
        try #require(run.status == 0, "mdrsctl \(arguments.joined(separator: " ")): \(run.stderr)")
        return run
    }

    @Test func checkConfigPassesOrNamesTheKey() async throws {
        let good = try InstanceFolder(mail: "transport = \"file\"")
        let ok = try await mdrsctl(["--config", good.config.path, "check-config"])
        #expect(ok.status == 0, "\(ok.stderr)")

        let bad = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:2525\"\nrequire_tls = \"yes\"")
        let failed = try await mdrsctl(["--config", bad.config.path, "check-config"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("mail.require_tls"))
    }

    @Test func holidaysFromTheShippedRulesAndChanges() async throws {
        let config = TestEnvironment.packageRoot.appendingPathComponent("Config/mdrsd.toml").path
        let run = try await mdrsctl(["--config", config, "holidays", "--year", "2022", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String: String]]]
        let dates = try #require(json?["holidays"]).compactMap { $0["date"] }
        #expect(dates == ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
                          "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"])
        // The Scotland-only one-off of 2026 comes from the data file.
        let scotland = try await mdrsctl(["--config", config, "holidays", "--year", "2026", "--division", "scotland", "--format", "json"])
        #expect(scotland.stdout.contains("2026-06-15"))
        let england = try await mdrsctl(["--config", config, "holidays", "--year", "2026", "--format", "json"])
        #expect(!england.stdout.contains("2026-06-15"))
    }

    @Test func aBadHolidayChangeNamesTheEntryAndKey() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        try "[[change]]\ndate = \"2030-02-30\"\nname = \"x\"\n"
            .write(to: instance.root.appendingPathComponent("bank-holiday-changes.toml"), atomically: true, encoding: .utf8)
        let run = try await mdrsctl(["--config", instance.config.path, "check-config"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bank-holiday-changes.toml: 'change[0].date'"), "\(run.stderr)")
    }

    @Test func clocksWarningsAndCancel() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json")
        var late = try JSONSerialization.jsonObject(with: Data(contentsOf: sample)) as! [String: Any]
        late["requested_on"] = "2027-02-01"
        let file = instance.root.appendingPathComponent("late.json")
        try JSONSerialization.data(withJSONObject: late).write(to: file)
        let imported = try await mdrsctl(["--config", instance.config.path, "bookings", "import", file.path])
        #expect(imported.status == 0)
        #expect(imported.stderr.contains("warning: \(file.path): MDRS-2027-0142: the meeting is more than 30 days after the request"))

        let shown = try await mdrsctl(["--config", instance.config.path, "bookings", "show", "MDRS-2027-0142", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let clocks = try #require(json?["clocks"] as? [String: Any])
        #expect(clocks["certificate_due"] as? String == "2027-03-30")
        #expect(clocks["arrange_by"] as? String == "2027-03-03")
        #expect(clocks["meeting_after_arrange_by"] as? Bool == true)
        #expect((json?["jobs"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == "pending" } == true)

        let cancelled = try await mdrsctl(["--config", instance.config.path, "bookings", "cancel", "MDRS-2027-0142"])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(cancelled.stdout.contains("cancelled as version 2"))
        let after = try await mdrsctl(["--config", instance.config.path, "bookings", "show", "MDRS-2027-0142", "--format", "json"])
        let afterJSON = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any]
        #expect((afterJSON?["booking"] as? [String: Any])?["status"] as? String == "cancelled")
        // The unsent confirmations are cancelled; each party gets a cancellation notice instead.
        let jobs = try #require(afterJSON?["jobs"] as? [[String: Any]])
        #expect(jobs.filter { $0["message"] as? String == "booking_confirmation" }.allSatisfy { $0["state"] as? String == "cancelled" })
        #expect(jobs.filter { $0["message"] as? String == "booking_cancelled" }.map { $0["state"] as? String } == ["pending", "pending", "pending"])
        let again = try await mdrsctl(["--config", instance.config.path, "bookings", "cancel", "MDRS-2027-0142"])
        #expect(again.stdout.contains("already cancelled"))
    }

    @Test func importsCSV() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/bookings.csv").path
        let imported = try await mdrsctl(["--config", instance.config.path, "bookings", "import", sample])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("MDRS-2027-0150: created(jobsAdded: "))
        #expect(imported.stdout.contains("MDRS-2027-0151: created(jobsAdded: "))
        let jobs = try await mdrsctl(["--config", instance.config.path, "jobs", "list", "--booking", "MDRS-2027-0151", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(jobs.stdout.utf8)) as? [String: [[String: Any]]]
        let confirmations = try #require(json?["jobs"]).filter { $0["message"] as? String == "booking_confirmation" }
        #expect(confirmations.count == 2)
    }

    @Test func agendaOfPlannedCalls() async throws {
        let instance = try InstanceFolder(mail: """
            transport = "file"
            """, mediator: false)
        try instance.appendConfig("""

            [[mediators]]
            id = "m.okafor"
            name = "Mina Okafor"
            working_days = ["mon", "tue", "wed", "thu", "fri"]
            day_start = "09:00"
            day_end = "17:00"
            calls_per_day = 4
            """)
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json")
        var booking = try JSONSerialization.jsonObject(with: Data(contentsOf: sample)) as! [String: Any]
        var meeting = booking["meeting"] as! [String: Any]
        meeting["start"] = "2027-04-01T10:00" // Thursday after the clocks go forward and Easter
        booking["meeting"] = meeting
        let file = instance.root.appendingPathComponent("april.json")
        try JSONSerialization.data(withJSONObject: booking).write(to: file)
        let imported = try await mdrsctl(["--config", instance.config.path, "bookings", "import", file.path])
        #expect(imported.status == 0, "\(imported.stderr)")

        let agenda = try await mdrsctl(["--config", instance.config.path, "agenda", "--from", "2027-03-22", "--to", "2027-04-02", "--format", "json"])
        #expect(agenda.status == 0, "\(agenda.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(agenda.stdout.utf8)) as? [String: Any])
        let calls = try #require(json["calls"] as? [[String: Any]])
        // Window from Thu 25 March; Good Friday is a bank holiday, so Thursday it is.
        // The parent cannot take calls on Mondays 08:30-09:15, which does not matter here.
        #expect(calls.map { $0["start"] as? String } == ["2027-03-25T09:00:00+00:00", "2027-03-25T09:45:00+00:00"])
        #expect(calls.map { $0["with"] as? [String] } == [["parent", "advocate"], ["local_authority"]])
        #expect(calls.allSatisfy { $0["booking"] as? String == "MDRS-2027-0142" && $0["mediator"] as? String == "m.okafor" })
        #expect((json["unscheduled"] as? [Any])?.isEmpty == true)

        let table = try await mdrsctl(["--config", instance.config.path, "agenda", "--from", "2027-03-22", "--to", "2027-04-02"])
        #expect(table.stdout.contains("Thursday 25 March 2027"))
        #expect(table.stdout.contains("09:00-09:30  MDRS-2027-0142  m.okafor  Siân Ó Briain (parent, 0161 496 0000)"))
    }

    @Test func aBookingForAMediatorNotConfiguredIsRefused() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"", mediator: false)
        try instance.appendConfig("[[mediators]]\nid = \"a.bell\"\nname = \"Ann Bell\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json").path
        let imported = try await mdrsctl(["--config", instance.config.path, "bookings", "import", sample])
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("booking.json: record 1 (MDRS-2027-0142): field 'mediator': 'm.okafor' is not a mediator in the config; "
                                         + "the configured ids are: a.bell"), "\(imported.stderr)")
        let status = try await mdrsctl(["--config", instance.config.path, "status", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(report["bookings"] as? Int == 0)
    }

    @Test func previewPrintsTheWholeMessage() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json").path
        _ = try await succeeding(["--config", instance.config.path, "bookings", "import", sample])
        let preview = try await mdrsctl(["--config", instance.config.path, "preview", "booking_confirmation",
                                   "--booking", "MDRS-2027-0142", "--role", "local_authority", "--locale", "cy"])
        #expect(preview.status == 0, "\(preview.stderr)")
        // The confirmation is translated; its Welsh subject is an encoded word.
        #expect(preview.stderr.isEmpty, "\(preview.stderr)")
        #expect(preview.stdout.contains("Annwyl Priya Shah"))
        #expect(preview.stdout.contains("To: \"Priya Shah\" <priya.shah@example.org>\r\n"))
        #expect(preview.stdout.contains("Message-ID: <booking_confirmation.MDRS-2027-0142.v1.local_authority.2@example.org>"))
        #expect(preview.stdout.contains("Content-Type: text/calendar; charset=UTF-8; method=REQUEST"))
        #expect(!preview.stdout.contains("sian@example.org"))
        // Every party message is in Welsh; a language with no templates says so.
        let welsh = try await mdrsctl(["--config", instance.config.path, "preview", "meeting_reminder",
                                 "--booking", "MDRS-2027-0142", "--role", "parent", "--locale", "cy"])
        #expect(welsh.status == 0 && welsh.stderr.isEmpty, "\(welsh.stderr)")
        #expect(welsh.stdout.contains("Content-Language: cy\r\n") && welsh.stdout.contains("Annwyl"))
        let fallback = try await mdrsctl(["--config", instance.config.path, "preview", "meeting_reminder",
                                    "--booking", "MDRS-2027-0142", "--role", "parent", "--locale", "fr"])
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(fallback.stderr.contains("no 'fr' templates for meeting_reminder; showing 'en'"))
        #expect(fallback.stdout.contains("This is a reminder that your mediation meeting"))
        let missing = try await mdrsctl(["--config", instance.config.path, "preview", "booking_confirmation",
                                   "--booking", "MDRS-2027-0142", "--role", "health"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no health with an email address"))
    }

    @Test func sendTestGoesThroughTheConfiguredTransport() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let instance = try InstanceFolder(mail: "transport = \"smtp\"\nsmtp_url = \"\(sink.url)\"\nrequire_tls = false")
        let run = try await mdrsctl(["--config", instance.config.path, "send-test", "--to", "staff@example.org"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("queued as 0001"))
        #expect(sink.messages.first?.rcptTos == ["staff@example.org"])
        #expect(sink.messages.first?.header("Subject").first?.contains("MDRS-TEST") == true)
    }

    @Test func jobsListAsJSON() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json").path
        _ = try await succeeding(["--config", instance.config.path, "bookings", "import", sample])
        let run = try await mdrsctl(["--config", instance.config.path, "jobs", "list", "--state", "pending", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [[String: Any]]]
        let jobs = try #require(json?["jobs"])
        #expect(Set(jobs.flatMap(\.keys)) == ["id", "booking", "message", "role", "due", "state", "attempts"])
        #expect(jobs.allSatisfy { ($0["due"] as? String)?.hasSuffix("+00:00") == true })
        let confirmations = jobs.filter { $0["message"] as? String == "booking_confirmation" }
        #expect(confirmations.map { $0["role"] as? String } == ["parent", "advocate", "local_authority"])
        // The whole plan: confirmations, call notices and reminders, the
        // mediator's agendas and certificate reminder.
        #expect(Set(jobs.compactMap { $0["message"] as? String }) == [
            "booking_confirmation", "prep_call_scheduled", "prep_call_reminder", "meeting_reminder", "mediator_agenda", "certificate_due"])
        let none = try await mdrsctl(["--config", instance.config.path, "jobs", "list", "--state", "dead", "--format", "json"])
        let empty = try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [String: [[String: Any]]]
        #expect(empty?["jobs"]?.isEmpty == true, "\(none.stdout)")
        let limited = try await mdrsctl(["--config", instance.config.path, "jobs", "list", "--limit", "2", "--format", "json"])
        let two = try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as? [String: [[String: Any]]]
        #expect(two?["jobs"]?.count == 2)
    }

    @Test func importThenListAsJSON() async throws {
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let sample = TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json").path
        let imported = try await mdrsctl(["--config", instance.config.path, "bookings", "import", sample])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("MDRS-2027-0142: created"))
        #expect(try await mdrsctl(["--config", instance.config.path, "bookings", "import", sample]).stdout.contains("unchanged"))

        let list = try await mdrsctl(["--config", instance.config.path, "bookings", "list", "--format", "json"])
        #expect(list.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        let bookings = try #require(json?["bookings"] as? [[String: Any]])
        #expect(bookings.count == 1)
        #expect(bookings.first?["reference"] as? String == "MDRS-2027-0142")
        #expect(bookings.first?["meeting_start"] as? String == "2027-03-23T10:00:00+00:00")

        // The same version with other content is stale; the store keeps the original.
        var changed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sample))) as! [String: Any]
        var meeting = changed["meeting"] as! [String: Any]
        meeting["venue"] = "Town Hall"
        changed["meeting"] = meeting
        let stale = instance.root.appendingPathComponent("stale.json")
        try JSONSerialization.data(withJSONObject: changed).write(to: stale)
        let rejected = try await mdrsctl(["--config", instance.config.path, "bookings", "import", stale.path])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("stale.json: record 1 (MDRS-2027-0142): field 'version'"))
        let shown = try await mdrsctl(["--config", instance.config.path, "bookings", "show", "MDRS-2027-0142"])
        #expect(shown.stdout.contains("v1 booked"))
    }
}
