import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

@Suite struct BookingParserTests {
    func errors(_ edit: @escaping (inout [String: Any]) -> Void) -> [BookingError] {
        do {
            _ = try BookingParser.parseJSON(BookingFixtures.json(edit), file: "in.json")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func validBookingParses() throws {
        let bookings = try BookingParser.parseJSON(BookingFixtures.json(), file: "in.json")
        #expect(bookings.count == 1)
        let booking = try #require(bookings.first)
        #expect(booking.reference == "MDRS-2027-0142")
        #expect(booking.parties.map(\.role) == [.parent, .advocate, .localAuthority])
        // 10:00 in London in March (GMT) is 10:00 UTC.
        #expect(booking.meeting.start == Date(timeIntervalSince1970: 1_805_796_000))
        #expect(booking.parties[0].unavailable.first?.weekday == .mon)
    }

    @Test func summerTimeIsConvertedToUTC() throws {
        let data = BookingFixtures.json { $0.set("meeting.start", "2027-06-15T10:00") }
        let booking = try #require(try BookingParser.parseJSON(data, file: "in.json").first)
        #expect(booking.meeting.start == Date(timeIntervalSince1970: 1_813_050_000)) // 09:00 UTC
    }

    /// A JSON value for a test argument (arguments must be Sendable).
    enum Value: Sendable {
        case text(String), number(Int), flag(Bool), list([String])
        var any: Any {
            switch self {
            case .text(let v): v
            case .number(let v): v
            case .flag(let v): v
            case .list(let v): v
            }
        }
    }

    @Test(arguments: [
        ("meeting.start", Value.text("2027-03-28T01:30"), "meeting.start"), // clocks skip 01:00–02:00
        ("meeting.start", .text("2027-02-30T10:00"), "meeting.start"),
        ("meeting.timezone", .text("Europe/Londres"), "meeting.timezone"),
        ("parties.1.email", .text("tomasz@"), "parties[1].email"),
        ("parties.1.email", .text("a@example.org\r\nBcc: x@example.org"), "parties[1].email"),
        ("parties.0.name", .text("Siân\u{7}"), "parties[0].name"),
        ("child.age", .number(26), "child.age"),
        ("version", .flag(true), "version"),
        ("version", .number(0), "version"),
        ("kind", .text("arbitration"), "kind"),
        ("grounds", .list(["duties"]), "grounds[0]"),
        ("parties.0.role", .text("cousin"), "parties[0].role"),
        ("parties.0.unavailable.0.to", .text("08:00"), "parties[0].unavailable[0].to"),
        ("requested_on", .text("26/02/2027"), "requested_on"),
    ])
    func invalidFieldIsNamed(path: String, value: Value, field: String) {
        let found = errors { $0.set(path, value.any) }
        #expect(found.contains { $0.field == field && $0.file == "in.json" && $0.record == 1 && $0.reference == "MDRS-2027-0142" },
                "expected an error on \(field), got \(found)")
    }

    @Test func mediationNeedsTheLocalAuthorityAndAFamily() {
        let noLA = errors { $0.set("parties", [["role": "parent", "name": "A Parent", "email": "p@example.org"]]) }
        #expect(noLA.contains { $0.field == "parties" && $0.message.contains("local_authority") })
        let noFamily = errors { $0.set("parties", [["role": "local_authority", "name": "An Officer"]]) }
        #expect(noFamily.contains { $0.field == "parties" && $0.message.contains("family") })
    }

    @Test func secondAdvocateNeedsConsent() throws {
        let twoAdvocates: (inout [String: Any]) -> Void = {
            var parties = $0["parties"] as! [Any]
            parties.append(["role": "advocate", "name": "Second Advocate"])
            $0["parties"] = parties
        }
        #expect(errors(twoAdvocates).contains { $0.field == "parties[3].role" })
        #expect(errors { twoAdvocates(&$0); $0["consent_recorded"] = true }.isEmpty)
    }

    @Test func youngPersonMustBeSixteenToTwentyFive() {
        let found = errors {
            $0.set("parties.0.role", "young_person")
            $0.set("child.age", 15)
        }
        #expect(found.contains { $0.field == "parties[0].role" })
    }

    @Test func everyRecordIsReportedWithItsPosition() {
        let good = try! JSONSerialization.jsonObject(with: BookingFixtures.json()) as! [String: Any]
        var bad = good
        bad["reference"] = "MDRS-2027-0143"
        bad.set("child.age", -1)
        let data = try! JSONSerialization.data(withJSONObject: [good, bad])
        #expect(throws: BookingFileError.self) { try BookingParser.parseJSON(data, file: "two.json") }
        do {
            _ = try BookingParser.parseJSON(data, file: "two.json")
        } catch {
            #expect(error.errors.map(\.description) == ["two.json: record 2 (MDRS-2027-0143): field 'child.age': must be from 0 to 25"])
        }
    }

    @Test func brokenJSONNamesTheFile() {
        #expect(throws: BookingFileError.self) { try BookingParser.parseJSON(Data("{\"reference\": ".utf8), file: "cut.json") }
    }
}
