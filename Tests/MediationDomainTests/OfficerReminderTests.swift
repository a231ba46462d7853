import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// The shipped reminder plan reminds officers on working days: a meeting on
/// any day of 2027 (Easter Tuesday, the Tuesday after a bank holiday, a
/// Monday) never has its officers' day-ahead reminder on a weekend or bank
/// holiday, while the family's stays two calendar days before.
@Suite struct OfficerReminderTests {
    @Test func officersMeetingRemindersFallOnWorkingDays() throws {
        let calendar = WorkingDayCalendar()
        let planner = MessagePlanner(calendar: calendar)
        var officerReminders = 0
        var day = LocalDate(iso: "2027-01-04")!
        while day < LocalDate(iso: "2028-01-01")! {
            defer { day = day.adding(days: 1) }
            guard calendar.isWorkingDay(day) else { continue }
            let booking = BookingFixtures.booking { $0["meeting"] = ["start": "\(day)T10:00", "timezone": "Europe/London",
                                                                     "duration_minutes": 120, "venue": "Room 2"] }
            let now = try #require(LocalDateTime(date: day.adding(days: -30), time: LocalTime(hour: 9, minute: 0)!).earliestInstant(in: "Europe/London"))
            let reminders = planner.plan(booking, previous: nil, calls: [], now: now).filter {
                $0.message == .meetingReminder && LocalDate($0.due, zoneID: "Europe/London") < day
            }
            for reminder in reminders {
                guard case .party(_, let role) = reminder.recipient else { continue }
                let sent = LocalDate(reminder.due, zoneID: "Europe/London")
                if role.isFamilyFacing {
                    #expect(sent == day.adding(days: -2), "\(day): the family's reminder on \(sent)")
                } else {
                    #expect(calendar.isWorkingDay(sent), "\(day): the officer's reminder on \(sent), not a working day")
                    officerReminders += 1
                }
            }
        }
        #expect(officerReminders > 200)
    }
}
