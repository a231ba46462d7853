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
        // 09:00 UTC is 10:00 British Summer Time.
        #expect(rendered.text.contains("Tuesday 6 July 2027, 10:00"))
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
}
