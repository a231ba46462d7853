import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

@Suite struct BookingCSVTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Config/examples/bookings.csv").standardizedFileURL

    func errors(_ csv: String) -> [BookingError] {
        do {
            _ = try BookingCSV.parse(Data(csv.utf8), file: "in.csv")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func sampleFileParses() throws {
        let bookings = try BookingCSV.parse(Data(contentsOf: Self.sample), file: "bookings.csv")
        #expect(bookings.map(\.reference) == ["MDRS-2027-0150", "MDRS-2027-0151"])
        let first = bookings[0]
        #expect(first.grounds == [.planContents, .noAmendment])
        #expect(first.meeting.venue == "Community Centre, Room 3") // a quoted comma
        #expect(first.meeting.durationMinutes == 150)
        #expect(first.parties.map(\.role) == [.parent, .advocate, .localAuthority])
        #expect(first.parties[0].unavailable.map(\.weekday) == [.mon, .wed])
        #expect(first.parties[0].unavailable[1].to == LocalTime(hour: 14, minute: 0))
        let second = bookings[1]
        #expect(second.kind == .disagreementResolution)
        #expect(second.parties.map(\.role) == [.youngPerson, .school]) // party3 columns empty: no third party
        #expect(second.meeting.onlineURL == "https://meet.example.org/mdrs-0151")
    }

    static let header = "reference,version,kind,grounds,child_initials,child_age,meeting_start,venue,mediator,party1_role,party1_name,party1_email,party2_role,party2_name"

    @Test func errorsNameTheRowAndTheColumn() {
        let csv = Self.header + "\n"
            + "MDRS-1,1,mediation,plan_contents,J.B.,9,2027-03-23T10:00,Room 2,m.okafor,parent,A Parent,a@example.org,local_authority,An Officer\n"
            + "MDRS-2,1,mediation,plan_contents,J.B.,30,2027-03-23T10:00,Room 2,m.okafor,parent,A Parent,not-an-address,local_authority,An Officer\n"
        let found = errors(csv).map(\.description)
        #expect(found.contains("in.csv: record 2 (MDRS-2): field 'child_age': must be from 0 to 25"), "\(found)")
        #expect(found.contains("in.csv: record 2 (MDRS-2): field 'party1_email': is not a valid email address"), "\(found)")
        #expect(found.count == 2)
    }

    @Test func unknownColumnIsRejected() {
        let found = errors("reference,versoin\nMDRS-1,1\n")
        #expect(found.first?.field == "versoin")
    }

    @Test func duplicateReferencesAreRejectedAsInJSON() {
        let row = "MDRS-1,1,mediation,plan_contents,J.B.,9,2027-03-23T10:00,Room 2,m.okafor,parent,A Parent,a@example.org,local_authority,An Officer\n"
        let found = errors(Self.header + "\n" + row + row)
        #expect(found.map(\.field) == ["reference"])
        #expect(found.first?.record == 2)
    }

    @Test func shortRowIsRejected() {
        let found = errors(Self.header + "\nMDRS-1,1,mediation\n")
        #expect(found.first?.field == "(row)")
    }
}

/// Found by `make fuzz`: a header column without a name.
@Suite struct BookingCSVFuzzFindings {
    @Test func aColumnWithoutANameIsNamedByItsPosition() {
        let error = #expect(throws: BookingFileError.self) {
            try BookingCSV.parse(Data("reference,,version\nMDRS-1,x,1\n".utf8), file: "f.csv")
        }
        #expect(error?.errors.first?.field == "(header column 2)")
    }
}
