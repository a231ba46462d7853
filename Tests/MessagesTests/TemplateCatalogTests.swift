import Foundation
import MediationDomain
import Messages
import Testing

@Suite struct TemplateCatalogTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Config/templates/en").standardizedFileURL.path

    @Test func confirmationReadsWellForAFamily() throws {
        let catalog = try TemplateCatalog(directory: Self.shipped)
        let booking = Booking(
            reference: "MDRS-2027-0142", version: 1, status: .booked, kind: .mediation, grounds: [.planContents],
            requestedOn: nil, decisionLetterOn: nil, healthIssues: false, child: Child(initials: "J.B.", age: 9),
            meeting: Meeting(local: LocalDateTime(iso: "2027-07-06T10:00")!, timezone: "Europe/London",
                             start: Date(timeIntervalSince1970: 1_814_864_400), durationMinutes: 150, venue: "Community Centre & Hall", onlineURL: nil),
            mediator: "m.okafor", parties: [Party(role: .parent, name: "Siân Ó Briain", email: "sian@example.org")])
        let service = ServiceIdentity(name: "SEND Mediation Service", fromAddress: "mediation@example.org", replyTo: "mediation@example.org", phone: "0161 496 0999")
        let rendered = catalog.render(.bookingConfirmation, context: ConfirmationContext(booking: booking, party: booking.parties[0], service: service))
        #expect(rendered.subject == "Your mediation meeting is booked: MDRS-2027-0142")
        #expect(!rendered.subject.contains("J.B."))
        // 09:00 UTC is 10am British Summer Time.
        #expect(rendered.text.contains("Tuesday 6 July 2027, 10am"))
        #expect(rendered.text.contains("about 2 hours 30 minutes"))
        #expect(rendered.text.contains("Community Centre & Hall"))
        #expect(rendered.html.contains("Community Centre &amp; Hall"))
        #expect(rendered.text.contains("0161 496 0999"))
        #expect(!rendered.text.contains("nil"))
    }

    @Test func missingTemplateIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "x".write(to: folder.appendingPathComponent("booking_confirmation.subject.mustache"), atomically: true, encoding: .utf8)
        #expect { try TemplateCatalog(directory: folder.path) } throws: { error in
            (error as? TemplateError)?.file.hasSuffix("booking_confirmation.text.mustache") == true
        }
    }

    @Test func parseErrorNamesFileAndLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "line one\n{{#open}}never closed\n".write(to: folder.appendingPathComponent("booking_confirmation.text.mustache"), atomically: true, encoding: .utf8)
        #expect { try TemplateCatalog(directory: folder.path) } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.file.hasSuffix("booking_confirmation.text.mustache") && error.line != nil
        }
    }

    /// A copy of the shipped templates with one file replaced.
    func shippedWith(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-tpl-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Self.shipped, toPath: folder.path)
        try text.write(to: folder.appendingPathComponent("\(name).mustache"), atomically: true, encoding: .utf8)
        return folder.path
    }

    func failure(_ directory: String) -> TemplateError? {
        do {
            _ = try TemplateCatalog(directory: directory)
            return nil
        } catch {
            return error
        }
    }

    @Test func aTypoInAVariableNamesFileLineAndVariable() throws {
        let folder = try shippedWith("booking_confirmation.text", "{{% CONTENT_TYPE: TEXT}}\nDear {{recipientName}},\n\nWhen: {{meetingDayAndTiem}}\n")
        let error = try #require(failure(folder))
        #expect(error.file.hasSuffix("booking_confirmation.text.mustache"))
        #expect(error.line == 4)
        #expect(error.message.contains("'meetingDayAndTiem'"))
        #expect(error.message.contains("meetingDayAndTime"))
    }

    @Test func variablesInsideSectionsAndPartialsAreChecked() throws {
        // service.phone is fine at the top and inside {{#service}}; a typo in a partial is caught there.
        let ok = try shippedWith("booking_confirmation.subject", "{{#service}}{{phone}}{{/service}} {{service.name}} {{#venue}}{{.}}{{/venue}}")
        #expect(failure(ok) == nil)
        let partial = try shippedWith("partials/footer.text", "Call {{service.phon}}\n")
        let error = try #require(failure(partial))
        #expect(error.file.hasSuffix("partials/footer.text.mustache"))
        #expect(error.message.contains("'service.phon'"))
    }

    @Test func brokenStructureIsReported() throws {
        #expect(failure(try shippedWith("booking_confirmation.subject", "{{> partials/nope}}"))?.message.contains("partial 'partials/nope' does not exist") == true)
        #expect(failure(try shippedWith("booking_confirmation.subject", "{{#venue}} open"))?.message != nil)
    }

    /// A template root with the shipped English and a `cy/` holding `files`.
    func translated(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("cy"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.shipped, toPath: root.appendingPathComponent("en").path)
        for (name, text) in files {
            try text.write(to: root.appendingPathComponent("cy/\(name).mustache"), atomically: true, encoding: .utf8)
        }
        return root.path
    }

    @Test func aTranslationFallsBackPerMessage() throws {
        let root = try translated(["meeting_reminder.subject": "Nodyn atgoffa: {{reference}}",
                                   "meeting_reminder.text": "Annwyl {{recipientName}}", "meeting_reminder.html": "<p>Annwyl</p>"])
        let templates = try LocalizedTemplates(root: root, mainLocale: "en")
        #expect(templates.catalog(for: .meetingReminder, language: "cy").locale == "cy")
        #expect(templates.catalog(for: .bookingConfirmation, language: "cy").locale == "en")
        #expect(templates.catalog(for: .meetingReminder, language: "fr").locale == "en")
        #expect(templates.catalog(for: .meetingReminder, language: nil).locale == "en")
        let fallbacks = try #require(templates.fallbacks.first { $0.locale == "cy" })
        #expect(fallbacks.messages.contains(.bookingConfirmation) && !fallbacks.messages.contains(.meetingReminder))
    }

    @Test func aHalfTranslatedMessageOrATypoInATranslationIsAnError() throws {
        let half = try translated(["meeting_reminder.subject": "Nodyn atgoffa: {{reference}}"])
        #expect { try LocalizedTemplates(root: half, mainLocale: "en") } throws: { error in
            (error as? TemplateError)?.file.hasSuffix("cy/meeting_reminder.text.mustache") == true
        }
        let typo = try translated(["meeting_reminder.subject": "Nodyn atgoffa: {{refrence}}",
                                   "meeting_reminder.text": "x", "meeting_reminder.html": "x"])
        #expect { try LocalizedTemplates(root: typo, mainLocale: "en") } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.file.hasSuffix("cy/meeting_reminder.subject.mustache") && error.message.contains("refrence")
        }
    }

    @Test func callVariablesExistOnlyInCallMessages() throws {
        let root = try translated([:])
        let reminder = (root as NSString).appendingPathComponent("en/meeting_reminder.text.mustache")
        try "{{call.dayAndTime}}".write(toFile: reminder, atomically: true, encoding: .utf8)
        #expect { try LocalizedTemplates(root: root, mainLocale: "en") } throws: { error in
            (error as? TemplateError)?.message.contains("call.dayAndTime") == true
        }
    }
}
