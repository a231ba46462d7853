import Foundation
import Messages
import Testing

@Suite struct CalendarInviteTextTests {
    func invite(summary: String, zone: String = "Europe/London") -> CalendarInvite {
        CalendarInvite(uid: "meeting.MDRS-1@example.org", sequence: 2, method: .cancel, summary: summary, description: "a\nb",
                       location: "Room 2, Community Centre; side door", start: Date(timeIntervalSince1970: 1_805_796_000),
                       end: Date(timeIntervalSince1970: 1_805_803_200), zone: zone,
                       organizer: ("SEND \"Mediation\" Service", "mediation@example.org"), attendee: (nil, "sian@example.org"),
                       stamp: Date(timeIntervalSince1970: 1_805_000_000))
    }

    @Test func textValuesAreEscapedAndLinesFolded() {
        let text = invite(summary: String(repeating: "Siân Ó Briain, ", count: 8)).text
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(text.contains("LOCATION:Room 2\\, Community Centre\\; side door"))
        #expect(text.contains("DESCRIPTION:a\\nb"))
        #expect(text.contains("METHOD:CANCEL") && text.contains("STATUS:CANCELLED") && text.contains("SEQUENCE:2"))
        #expect(text.contains("ORGANIZER;CN=\"SEND Mediation Service\":mailto:mediation@example.org"))
        // Unfolding gives back whole UTF-8 text (no sequence was cut).
        #expect(text.replacingOccurrences(of: "\r\n ", with: "").contains(String(repeating: "Siân Ó Briain\\, ", count: 8)))
    }

    @Test func otherZonesAreWrittenInUTC() {
        let text = invite(summary: "x", zone: "Europe/Dublin").text
        #expect(text.contains("DTSTART:20270323T100000Z"))
        #expect(!text.contains("VTIMEZONE"))
        let london = invite(summary: "x").text
        #expect(london.contains("DTSTART;TZID=Europe/London:20270323T100000"))
    }
}
