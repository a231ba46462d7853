import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

@Suite struct WorkingDayCalendarTests {
    /// The one-off changes as shipped in Config/bank-holiday-changes.toml
    /// (the TOML itself is read by MDRSService; see ConfigLoaderTests).
    static let oneOffs: [HolidayChange] = [
        HolidayChange(moves: LocalDate(iso: "2012-05-28"), date: LocalDate(iso: "2012-06-04")!, name: "Spring bank holiday"),
        HolidayChange(date: LocalDate(iso: "2012-06-05")!, name: "Queen’s Diamond Jubilee"),
        HolidayChange(moves: LocalDate(iso: "2020-05-04"), date: LocalDate(iso: "2020-05-08")!, name: "Early May bank holiday (VE day)"),
        HolidayChange(moves: LocalDate(iso: "2022-05-30"), date: LocalDate(iso: "2022-06-02")!, name: "Spring bank holiday"),
        HolidayChange(date: LocalDate(iso: "2022-06-03")!, name: "Platinum Jubilee bank holiday"),
        HolidayChange(date: LocalDate(iso: "2022-09-19")!, name: "State Funeral of Queen Elizabeth II"),
        HolidayChange(date: LocalDate(iso: "2023-05-08")!, name: "Coronation of King Charles III"),
        HolidayChange(date: LocalDate(iso: "2026-06-15")!, name: "Extra bank holiday", divisions: [.scotland]),
    ]

    /// GOV.UK's published dates, from the fixture, by division and year.
    static func published() throws -> [Division: [Int: [LocalDate]]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/govuk-bank-holidays.txt")
        var result: [Division: [Int: [LocalDate]]] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            let division = try #require(Division(rawValue: String(fields[0])))
            let dates = try fields.dropFirst().map { try #require(LocalDate(iso: String($0))) }
            result[division, default: [:]][dates[0].year] = dates
        }
        return result
    }

    @Test func matchesGOVUKPublishedDates() throws {
        let published = try Self.published()
        var years = 0
        for (division, byYear) in published {
            let calendar = WorkingDayCalendar(division: division, changes: Self.oneOffs)
            for (year, dates) in byYear {
                #expect(calendar.holidays(in: year).map(\.date) == dates, "\(division.rawValue) \(year)")
                years += 1
            }
        }
        #expect(years == 26)
    }

    @Test func easterByTheGregorianRule() {
        let known = ["2012-04-08", "2019-04-21", "2024-03-31", "2025-04-20", "2027-03-28", "2028-04-16", "2038-04-25"]
        for text in known {
            let date = LocalDate(iso: text)!
            #expect(WorkingDayCalendar.easterSunday(date.year) == date)
        }
    }

    @Test func substituteDaysFollowTheRule() {
        let calendar = WorkingDayCalendar()
        // 25 Dec 2027 is a Saturday: Christmas moves to Mon 27, Boxing Day to Tue 28.
        let christmas = calendar.holidays(in: 2027).filter { $0.date.month == 12 }
        #expect(christmas.map(\.date.description) == ["2027-12-27", "2027-12-28"])
        #expect(christmas.map(\.name) == ["Christmas Day", "Boxing Day"])
        // 1 Jan 2023 is a Sunday: Mon 2 January.
        #expect(calendar.holidays(in: 2023).first?.date.description == "2023-01-02")
    }

    @Test func workingDaysSkipWeekendsAndHolidays() {
        let calendar = WorkingDayCalendar(changes: Self.oneOffs)
        // Thu 23 Dec 2027 + 3 working days: Fri 24, then Mon 27 and Tue 28 are
        // holidays, so Wed 29 and Thu 30.
        #expect(calendar.adding(workingDays: 3, to: LocalDate(iso: "2027-12-23")!).description == "2027-12-30")
        #expect(!calendar.isWorkingDay(LocalDate(iso: "2027-03-26")!)) // Good Friday
        #expect(calendar.isWorkingDay(LocalDate(iso: "2027-03-30")!))
        #expect(calendar.adding(workingDays: -1, to: LocalDate(iso: "2027-03-30")!).description == "2027-03-25")
    }

    @Test func weekdaysAndDayArithmetic() {
        #expect(LocalDate(iso: "2027-03-23")!.weekday == .tue)
        #expect(LocalDate(iso: "1970-01-01")!.weekday == .thu)
        #expect(LocalDate(iso: "2028-02-28")!.adding(days: 1).description == "2028-02-29")
        #expect(LocalDate(iso: "2027-12-31")!.adding(days: 1).description == "2028-01-01")
    }
}
