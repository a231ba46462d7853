import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// Every limit is a field-named rejection, found before any work is done,
/// and an error never quotes more than a short, visible excerpt.
@Suite struct BookingLimitsTests {
    func errors(_ edit: (inout [String: Any]) -> Void, mediators: Set<String>? = ["m.okafor"]) -> [BookingError] {
        do {
            _ = try BookingParser.parseJSON(BookingFixtures.json(edit), file: "f.json", mediators: mediators)
            return []
        } catch {
            return error.errors
        }
    }

    @Test(arguments: [
        ("parties.0.name", String(repeating: "n", count: 101), "parties[0].name"),
        ("meeting.venue", String(repeating: "v", count: 201), "meeting.venue"),
        ("meeting.online_url", "https://example.org/" + String(repeating: "u", count: 500), "meeting.online_url"),
        ("parties.0.phone", String(repeating: "1", count: 33), "parties[0].phone"),
        ("parties.0.email", String(repeating: "e", count: 250) + "@example.org", "parties[0].email"),
        ("reference", String(repeating: "R", count: 41), "reference"),
        ("meeting.timezone", String(repeating: "Z", count: 65), "meeting.timezone"),
    ])
    func tooLongIsRejectedNamingTheField(_ path: String, _ value: String, _ field: String) {
        let found = errors { $0.set(path, value) }
        #expect(found.map(\.field) == [field], "\(found)")
    }

    @Test func aTenMegabyteNameIsRejectedQuotingNothingOfIt() {
        let found = errors { $0.set("parties.0.name", String(repeating: "x", count: 10_000_000)) }
        #expect(found.map(\.field) == ["parties[0].name"])
        #expect(found[0].description.utf8.count < 200, "\(found[0].description.utf8.count) bytes")
    }

    @Test func countsAreBounded() {
        let crowd = errors { $0["parties"] = (0..<21).map { ["role": "parent", "name": "P\($0)"] } }
        #expect(crowd.map(\.field) == ["parties"] && crowd[0].message.contains("at most 20"))
        let busy = errors { $0.set("parties.0.unavailable", (0..<15).map { _ in ["weekday": "mon", "from": "08:00", "to": "09:00"] }) }
        #expect(busy.map(\.field) == ["parties[0].unavailable"])
        let grounds = errors { $0["grounds"] = Array(repeating: "plan_contents", count: 9) }
        #expect(grounds.map(\.field) == ["grounds"])
    }

    @Test(arguments: ["MDRS 2027", "../MDRS", "MDRS/../x", "-MDRS", "MDRS\u{200B}1", "MDRS-é"])
    func anUnsafeReferenceIsRejected(_ reference: String) {
        #expect(errors { $0["reference"] = reference }.map(\.field) == ["reference"])
    }

    @Test func referencesWithSlashesAndDotsThatAreSafeAreKept() {
        #expect(errors { $0["reference"] = "MDRS/2027/0142.a" }.isEmpty)
    }

    @Test(arguments: ["../m.okafor", "m.okafor\u{200B}", "M.OKAFOR", "nobody"])
    func aMediatorNotInTheConfigIsRejectedNamingTheIds(_ mediator: String) {
        let found = errors { $0["mediator"] = mediator }
        #expect(found.map(\.field) == ["mediator"])
        #expect(found[0].message.contains("the configured ids are: m.okafor"))
        if mediator.contains("\u{200B}") { #expect(found[0].message.contains("\\u{200B}"), "\(found[0].message)") }
    }

    @Test func directionControlsAreRefused() {
        let found = errors { $0.set("parties.0.name", "Siân \u{202E}niarB Ó") }
        #expect(found.map(\.field) == ["parties[0].name"] && found[0].message.contains("text-direction"))
    }

    @Test func aPhoneNeedsDigitsAndReadsInInternationalForm() {
        #expect(errors { $0.set("parties.0.phone", "call me") }.map(\.field) == ["parties[0].phone"])
        #expect(errors { $0.set("parties.0.phone", "123") }.map(\.field) == ["parties[0].phone"])
        #expect(PhoneNumber("0161 496 0000")?.telURI == "tel:+441614960000")
        #expect(PhoneNumber("+44 (0)161 496 0000")?.telURI == "tel:+441614960000")
        #expect(PhoneNumber("00353 1 234 5678")?.telURI == "tel:+35312345678")
    }

    @Test func quotingShowsInvisibleCharactersAndCuts() {
        #expect(QuotedValue.of("a\u{200B}b\u{7}") == "'a\\u{200B}b\\u{7}'")
        #expect(QuotedValue.of(String(repeating: "x", count: 1000)) == "'\(String(repeating: "x", count: 60))…' (1000 characters)")
    }

    @Test func aFileWithThousandsOfErrorsListsFiftyAndCountsTheRest() throws {
        let records = (0..<500).map { _ in "{}" }.joined(separator: ",")
        let error = #expect(throws: BookingFileError.self) { try BookingParser.parseJSON(Data("[\(records)]".utf8), file: "f.json") }
        let text = try #require(error?.description)
        #expect(text.split(separator: "\n").count == 51 && text.hasSuffix("more errors in this file"), "\(text.suffix(200))")
    }
}

extension BookingLimitsTests {
    @Test func aMeetingNeedsAVenueOrALinkEvenWhenBothAreBlank() {
        let found = errors { $0.set("meeting.venue", "  ") }
        #expect(found.map(\.field) == ["meeting.venue"] && found[0].message.contains("a venue or an online_url is required"))
    }
}
