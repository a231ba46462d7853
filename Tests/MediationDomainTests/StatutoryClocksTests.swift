import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

@Suite struct StatutoryClocksTests {
    func booking(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> Booking {
        try BookingParser.parseJSON(BookingFixtures.json(edit), file: "b.json")[0]
    }

    @Test func clocksOfTheSampleCase() throws {
        // Requested Fri 26 Feb 2027; meeting Tue 23 Mar 2027 10:00-12:00; letter 10 Feb.
        let clocks = try #require(StatutoryClocks(booking: try booking(), calendar: WorkingDayCalendar()))
        #expect(clocks.arrangeBy?.description == "2027-03-28")
        #expect(!clocks.meetingAfterArrangeBy)
        // Three working days after Tue 23 Mar: Wed, Thu, then Good Friday and
        // Easter Monday are holidays, so Tue 30 Mar.
        #expect(clocks.certificateDue.description == "2027-03-30")
        #expect(clocks.healthNoticeDue == nil)
        // Later of 10 Feb + 2 months (10 Apr) and 30 Mar + 1 month (30 Apr).
        #expect(clocks.appealWindowEnds?.description == "2027-04-30")
        #expect(clocks.warnings.isEmpty)
    }

    @Test func lateMeetingIsWarnedAbout() throws {
        let late = try booking { $0.set("requested_on", "2027-02-01") }
        let clocks = try #require(StatutoryClocks(booking: late, calendar: WorkingDayCalendar()))
        #expect(clocks.meetingAfterArrangeBy)
        #expect(clocks.warnings.first?.contains("2027-03-03") == true)
    }

    @Test func healthNoticeAndAgreementFollowUp() throws {
        let withHealth = try booking {
            $0["health_issues"] = true
            $0["agreement_on"] = "2027-03-23"
        }
        let clocks = try #require(StatutoryClocks(booking: withHealth, calendar: WorkingDayCalendar()))
        // Fri 26 Feb + 3 working days = Wed 3 Mar.
        #expect(clocks.healthNoticeDue?.description == "2027-03-03")
        #expect(clocks.agreementFollowUpDue?.description == "2027-04-06")
    }

    @Test func disagreementResolutionHasNoStatutoryClocks() throws {
        let dr = try booking {
            $0["kind"] = "disagreement_resolution"
            $0["grounds"] = ["provision"]
        }
        #expect(StatutoryClocks(booking: dr, calendar: WorkingDayCalendar()) == nil)
    }

    @Test func monthsClampToTheMonthsEnd() {
        #expect(LocalDate(iso: "2027-01-31")!.adding(months: 1).description == "2027-02-28")
        #expect(LocalDate(iso: "2028-01-31")!.adding(months: 1).description == "2028-02-29")
        #expect(LocalDate(iso: "2027-12-15")!.adding(months: 2).description == "2028-02-15")
    }
}
