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
        #expect(rendered.subject == "Your meeting is booked for Tuesday 6 July (MDRS-2027-0142)")
        #expect(!rendered.subject.contains("J.B."))
        // 09:00 UTC is 10am British Summer Time; no "(UK time)" for a UK meeting.
        #expect(rendered.text.contains("When: Tuesday 6 July 2027, 10am to 12:30pm\n"))
        #expect(rendered.html.contains("href=\"tel:+441614960999\""))
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
        let folder = try shippedWith("booking_confirmation.text", "{{% CONTENT_TYPE: TEXT}}\nDear {{recipientName}},\n\nWhen: {{meetingWehn}}\n")
        let error = try #require(failure(folder))
        #expect(error.file.hasSuffix("booking_confirmation.text.mustache"))
        #expect(error.line == 4)
        #expect(error.message.contains("'meetingWehn'"))
        #expect(error.message.contains("meetingWhen"))
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

    static let shippedWelsh = URL(fileURLWithPath: shipped).deletingLastPathComponent().appendingPathComponent("cy").path

    /// A template root with the shipped English and Welsh, the Welsh with
    /// `files` replaced and `removing` taken away.
    func translated(_ files: [String: String] = [:], removing: [String] = []) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.shipped, toPath: root.appendingPathComponent("en").path)
        try FileManager.default.copyItem(atPath: Self.shippedWelsh, toPath: root.appendingPathComponent("cy").path)
        for (name, text) in files {
            try text.write(to: root.appendingPathComponent("cy/\(name).mustache"), atomically: true, encoding: .utf8)
        }
        for name in removing { try FileManager.default.removeItem(at: root.appendingPathComponent("cy/\(name).mustache")) }
        return root.path
    }

    @Test func aTranslationHasEveryPartyMessageAndStaffStayInTheMainLocale() throws {
        let templates = try LocalizedTemplates(root: try translated(), mainLocale: "en")
        for kind in MessageKind.partyMessages { #expect(templates.catalog(for: kind, language: "cy").locale == "cy") }
        #expect(templates.catalog(for: .mediatorAgenda, language: "cy").locale == "en")
        #expect(templates.catalog(for: .meetingReminder, language: "fr").locale == "en")
        #expect(templates.catalog(for: .meetingReminder, language: nil).locale == "en")

        // A folder without a whole message would switch a family's language
        // halfway through their booking: refused, naming what is missing.
        let partial = try translated(removing: ["booking_changed.subject", "booking_changed.text", "booking_changed.html"])
        #expect { try LocalizedTemplates(root: partial, mainLocale: "en") } throws: { error in
            guard let error = error as? TemplateError else { return false }
            return error.file.hasSuffix("/cy") && error.message.contains("booking_changed")
        }
    }

    @Test func aHalfTranslatedMessageOrATypoInATranslationIsAnError() throws {
        let half = try translated(removing: ["meeting_reminder.text"])
        #expect { try LocalizedTemplates(root: half, mainLocale: "en") } throws: { error in
            (error as? TemplateError)?.file.hasSuffix("cy/meeting_reminder.text.mustache") == true
        }
        let typo = try translated(["meeting_reminder.subject": "Nodyn atgoffa: {{refrence}}"])
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
