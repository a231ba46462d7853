import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

@Suite struct CallPlannerTests {
    let mediator = Mediator(id: "m.okafor", name: "Mina Okafor")

    func booking(_ local: String, parties: [Party]? = nil, mediator: String = "m.okafor") -> Booking {
        let start = LocalDateTime(iso: local)!
        return Booking(
            reference: "MDRS-T", version: 1, status: .booked, kind: .mediation, grounds: [.planContents],
            requestedOn: nil, decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 10),
            meeting: Meeting(local: start, timezone: "Europe/London", start: try! start.instant(in: "Europe/London"),
                             durationMinutes: 120, venue: "Room 1", onlineURL: nil),
            mediator: mediator,
            parties: parties ?? [Party(role: .parent, name: "A Parent"), Party(role: .advocate, name: "An Advocate"),
                                 Party(role: .localAuthority, name: "An Officer"), Party(role: .health, name: "ICB")])
    }

    func planner() -> CallPlanner {
        CallPlanner(rules: PlanningRules(), calendar: WorkingDayCalendar(changes: WorkingDayCalendarTests.oneOffs), mediators: [mediator])
    }

    func local(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/London")
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return String(formatter.string(from: date).prefix(16))
    }

    @Test func familyWithAdvocateFirstThenAuthorityThenHealth() {
        var planner = planner()
        let plan = planner.plan(booking("2027-06-15T10:00"), now: try! LocalDateTime(iso: "2027-05-01T12:00")!.instant(in: "Europe/London"))
        #expect(plan.calls.map(\.with) == [[.parent, .advocate], [.localAuthority], [.health]])
        // Window opens Tue 8 June; 09:00, then the 30-minute call and the 15-minute gap.
        #expect(plan.calls.map { local($0.start) } == ["2027-06-08T09:00", "2027-06-08T09:45", "2027-06-08T10:30"])
        #expect(plan.unscheduled.isEmpty)
    }

    @Test func shortNoticeStartsTheNextWorkingDay() {
        var planner = planner()
        // Booked on Thursday 25 March for Thursday 1 April: Good Friday and Easter
        // Monday are bank holidays, so the calls go on Tuesday 30 March.
        let now = try! LocalDateTime(iso: "2027-03-25T15:00")!.instant(in: "Europe/London")
        let plan = planner.plan(booking("2027-04-01T10:00"), now: now)
        #expect(plan.calls.first.map { local($0.start) } == "2027-03-30T09:00")
        // That Tuesday is after the clocks went forward: 09:00 BST is 08:00 UTC.
        #expect(plan.calls.first?.start == Date(timeIntervalSince1970: 1_806_393_600))
    }

    @Test func tooLateIsUnscheduledWithAReason() {
        var planner = planner()
        let now = try! LocalDateTime(iso: "2027-03-22T15:00")!.instant(in: "Europe/London")
        let plan = planner.plan(booking("2027-03-23T10:00"), now: now)
        #expect(plan.calls.isEmpty)
        #expect(plan.unscheduled.count == 3)
        #expect(plan.unscheduled.first?.reason.contains("too soon") == true)
    }

    @Test func unavailableTimesAndOtherCallsAreAvoided() {
        var planner = planner()
        let now = try! LocalDateTime(iso: "2027-05-01T12:00")!.instant(in: "Europe/London")
        let first = planner.plan(booking("2027-06-15T10:00"), now: now)
        let busyParent = Party(role: .parent, name: "B Parent",
                               unavailable: [Unavailability(weekday: .tue, from: LocalTime(hour: 9, minute: 0)!, to: LocalTime(hour: 13, minute: 0)!)])
        var second = booking("2027-06-15T14:00", parties: [busyParent, Party(role: .localAuthority, name: "An Officer")])
        second.reference = "MDRS-T2"
        let plan = planner.plan(second, now: now)
        // Tuesday morning is the parent's no-go; the afternoon is free.
        #expect(plan.calls.map { local($0.start) } == ["2027-06-08T13:00", "2027-06-08T13:45"])
        #expect(first.calls.allSatisfy { call in plan.calls.allSatisfy { $0.start >= call.end } })
    }
}
