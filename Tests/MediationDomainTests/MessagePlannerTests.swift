import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// The reminder plan: what each booking version wants sent, and when, in
/// local time — through clock changes, bank holidays and quiet hours.
@Suite struct MessagePlannerTests {
    let planner = MessagePlanner()

    func booking(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> Booking {
        try BookingParser.parseJSON(BookingFixtures.json(edit), file: "b.json")[0]
    }

    func local(_ text: String) -> Date { LocalDateTime(iso: text)!.earliestInstant(in: "Europe/London")! }

    func call(_ start: String, _ with: [Role]) -> PrepCall {
        PrepCall(booking: "MDRS-2027-0142", mediator: "m.okafor", with: with, start: local(start),
                 end: local(start).addingTimeInterval(1800))
    }

    @Test func quietHoursHoldFamilyMailUntilTheMorningAcrossTheClockChange() {
        let quiet = QuietHours.standard
        // Saturday 27 March 2027, 21:30 GMT; the clocks go forward that night.
        let evening = local("2027-03-27T21:30")
        #expect(quiet.release(evening, zoneID: "Europe/London") == local("2027-03-28T08:00"))
        // 10.5 hours on the wall clock, 9.5 in fact: 08:00 BST is 07:00 UTC.
        #expect(local("2027-03-28T08:00").timeIntervalSince(evening) == 9.5 * 3600)
        // 07:59 waits a minute; 08:00 and 19:59 go at once.
        #expect(quiet.release(local("2027-03-29T07:59"), zoneID: "Europe/London") == local("2027-03-29T08:00"))
        for time in ["2027-03-29T08:00", "2027-03-29T19:59"] {
            #expect(quiet.release(local(time), zoneID: "Europe/London") == local(time))
        }
        #expect(!QuietHours(from: LocalTime(hour: 0, minute: 0)!, to: LocalTime(hour: 0, minute: 0)!).contains(LocalTime(hour: 23, minute: 0)!))
    }

    @Test func aNewBookingGetsConfirmationsCallNoticesRemindersAgendasAndTheCertificate() throws {
        let booking = try booking()
        let calls = [call("2027-03-16T09:00", [.parent, .advocate]), call("2027-03-16T09:45", [.localAuthority])]
        let now = local("2027-03-01T12:00")
        let plan = planner.plan(booking, previous: nil, calls: calls, now: now)
        func due(_ kind: MessageKind, _ role: String) -> [Date] { plan.filter { $0.message == kind && $0.recipient.roleName == role }.map(\.due) }

        #expect(due(.bookingConfirmation, "parent") == [now])
        #expect(due(.prepCallScheduled, "advocate") == [now])
        #expect(due(.prepCallScheduled, "local_authority") == [now])
        // The day before each call at 09:00; two and a day before the meeting.
        #expect(due(.prepCallReminder, "parent") == [local("2027-03-15T09:00")])
        // The family two days before (Sunday 21); the officer two working
        // days before (Friday 19), not on a Sunday; both two hours before.
        #expect(due(.meetingReminder, "parent") == [local("2027-03-21T10:00"), local("2027-03-23T08:00")])
        #expect(due(.meetingReminder, "local_authority") == [local("2027-03-19T10:00"), local("2027-03-23T08:00")])
        // Meeting Tue 23 March; Good Friday 26 and Easter Monday 29 are not
        // working days, so the certificate is due Tue 30; reminded Wed 24.
        let certificate = try #require(plan.first { $0.message == .certificateDue })
        #expect(certificate.due == local("2027-03-24T09:00") && certificate.recipient == .mediator("m.okafor"))
        #expect(MessagePlanner.certificateDeadline(booking, calendar: planner.calendar)?.day == LocalDate(iso: "2027-03-30"))
        let agendas = plan.filter { $0.message == .mediatorAgenda }
        #expect(agendas.map(\.due) == [local("2027-03-16T08:00"), local("2027-03-23T08:00")])
        #expect(agendas.allSatisfy { $0.standalone && $0.recipient == .mediator("m.okafor") })
        #expect(Set(plan.map(\.key)).count == plan.count)
    }

    @Test func remindersLandInLocalTimeAcrossTheClockChange() throws {
        // Meeting Tuesday 30 March 2027 10:00 BST, after the clocks went forward.
        let booking = try booking { $0.set("meeting.start", "2027-03-30T10:00") }
        let plan = planner.plan(booking, previous: nil, calls: [], now: local("2027-03-01T12:00"))
        let reminders = plan.filter { $0.message == .meetingReminder && $0.recipient.roleName == "parent" }.map(\.due)
        // Sunday 28 March 10:00 BST is 09:00 UTC.
        #expect(reminders == [local("2027-03-28T10:00"), local("2027-03-30T08:00")])
        #expect(reminders[0] == Date(timeIntervalSince1970: 1_806_224_400))
    }

    @Test func familyRemindersInQuietHoursMoveToTheMorningButOfficersDoNot() throws {
        // A 08:30 meeting: the 2-hour reminder would go at 06:30.
        let booking = try booking { $0.set("meeting.start", "2027-03-23T08:30") }
        let plan = planner.plan(booking, previous: nil, calls: [], now: local("2027-03-01T12:00"))
        let early = plan.filter { $0.message == .meetingReminder && $0.key.hasSuffix(".2h") }
        #expect(early.first { $0.recipient.roleName == "parent" }?.due == local("2027-03-23T08:00"))
        #expect(early.first { $0.recipient.roleName == "local_authority" }?.due == local("2027-03-23T06:30"))
    }

    @Test func aBookingMadeLateInTheEveningIsConfirmedInTheMorning() throws {
        let now = local("2027-03-01T22:15")
        let plan = planner.plan(try booking(), previous: nil, calls: [], now: now)
        #expect(plan.first { $0.message == .bookingConfirmation && $0.recipient.roleName == "parent" }?.due == local("2027-03-02T08:00"))
        #expect(plan.first { $0.message == .bookingConfirmation && $0.recipient.roleName == "local_authority" }?.due == now)
    }

    @Test func aNewVersionTellsOnlyWhatChangedAndKeepsReminderKeys() throws {
        let v1 = try booking()
        let now = local("2027-03-01T12:00")
        let first = planner.plan(v1, previous: nil, calls: [], now: now)

        // Only the child's age changed: nobody is emailed, reminders keep their keys.
        let same = try booking { $0["version"] = 2; $0.set("child.age", 10) }
        let second = planner.plan(same, previous: v1, calls: [], now: now)
        #expect(!second.contains { [.bookingConfirmation, .bookingChanged].contains($0.message) })
        #expect(Set(first.filter { $0.message == .meetingReminder }.map(\.key))
                == Set(second.filter { $0.message == .meetingReminder }.map(\.key)))

        // The venue moved and a health party joined: changes for the others, a confirmation for them.
        let moved = try booking {
            $0["version"] = 3
            $0.set("meeting.venue", "Town Hall")
            var parties = $0["parties"] as! [[String: Any]]
            parties.append(["role": "health", "name": "Dr Ada Jones", "email": "ada.jones@example.org"])
            $0["parties"] = parties
        }
        let third = planner.plan(moved, previous: same, calls: [], now: now)
        #expect(third.filter { $0.message == .bookingChanged }.map(\.recipient.roleName) == ["parent", "advocate", "local_authority"])
        #expect(third.filter { $0.message == .bookingConfirmation }.map(\.recipient.roleName) == ["health"])
    }

    @Test func aCancellationIsTheOnlyMessageOfACancelledBooking() throws {
        let v1 = try booking()
        let cancelled = try booking { $0["version"] = 2; $0["status"] = "cancelled" }
        let plan = planner.plan(cancelled, previous: v1, calls: [], now: local("2027-03-01T12:00"))
        #expect(Set(plan.map(\.message)) == [.bookingCancelled])
        #expect(planner.plan(cancelled, previous: nil, calls: [], now: local("2027-03-01T12:00")).isEmpty)
    }

    @Test func christmasMeetingReminderAndCertificateSkipTheHolidays() throws {
        // Wednesday 22 December 2027; Christmas and Boxing Day fall at the
        // weekend, so the substitute holidays are Monday 27 and Tuesday 28:
        // the third working day after is Wednesday 29.
        let booking = try booking { $0.set("meeting.start", "2027-12-22T14:00") }
        let plan = planner.plan(booking, previous: nil, calls: [], now: local("2027-12-01T12:00"))
        #expect(MessagePlanner.certificateDeadline(booking, calendar: planner.calendar)?.day == LocalDate(iso: "2027-12-29"))
        #expect(plan.first { $0.message == .certificateDue }?.due == local("2027-12-23T09:00"))
        #expect(plan.first { $0.message == .meetingReminder && $0.recipient.roleName == "parent" }?.due == local("2027-12-20T10:00"))
    }

    @Test func shortNoticeRemindersAreMarkedSoTheStoreDropsThoseAlreadyPast() throws {
        // Booked on Monday 22 March at 11:00 for Tuesday 10:00: the 2-day
        // reminder's moment has passed.
        let plan = planner.plan(try booking(), previous: nil, calls: [], now: local("2027-03-22T11:00"))
        let past = plan.filter { $0.due < local("2027-03-22T11:00") }
        #expect(!past.isEmpty && past.allSatisfy(\.onlyIfFuture))
    }

    @Test func offsetsAndRulesParse() {
        #expect(ReminderRule.Offset("90m") == ReminderRule.Offset(amount: 90, unit: .minutes))
        #expect(ReminderRule.Offset("2wd") == ReminderRule.Offset(amount: 2, unit: .workingDays))
        for bad in ["", "2", "d", "-1d", "2 d", "2w"] { #expect(ReminderRule.Offset(bad) == nil, "\(bad)") }
    }
}
