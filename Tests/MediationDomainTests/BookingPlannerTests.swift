import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// The decision for one incoming version, from what the store read.
@Suite struct BookingPlannerTests {
    let planner = BookingPlanner(rules: PlanningRules(), calendar: WorkingDayCalendar(),
                                 mediators: [Mediator(id: "m.okafor", name: "Mina Okafor")], messages: MessagePlanner())
    let now = LocalDateTime(iso: "2027-03-01T09:00")!.earliestInstant(in: "Europe/London")!

    func input(_ booking: Booking, previous: Booking? = nil, calls: [PrepCall] = [], busy: [PrepCall] = [],
               meetings: [DateInterval] = []) -> BookingPlanner.Input {
        BookingPlanner.Input(booking: booking, previous: previous, previousCalls: calls,
                             busy: BusyDay.days(calls: busy, meetings: meetings, zone: "Europe/London"), stored: [])
    }

    @Test func versionsCompare() {
        let v1 = BookingFixtures.booking()
        var v2 = v1
        v2.version = 2
        var other = v1
        other.meeting.venue = "Town Hall"
        #expect(BookingPlanner.compare(v1, with: nil) == .new)
        #expect(BookingPlanner.compare(v1, with: v1) == .unchanged)
        #expect(BookingPlanner.compare(v2, with: v1) == .replaces(previousVersion: 1))
        guard case .stale = BookingPlanner.compare(v1, with: v2) else { Issue.record("older accepted"); return }
        guard case .stale = BookingPlanner.compare(other, with: v1) else { Issue.record("same version, other content accepted"); return }
    }

    @Test func callsAvoidTheMediatorsOtherCallsAndMeetingsInTheWindow() throws {
        let booking = BookingFixtures.booking()
        let first = planner.decide(input(booking), now: now)
        guard case .replace(let plan) = first.calls else { Issue.record("\(first.calls)"); return }
        #expect(plan.calls.count == 2 && plan.unscheduled.isEmpty)
        // The same slot taken by another booking's call, and a meeting after it.
        let taken = plan.calls[0]
        let meeting = DateInterval(start: taken.end.addingTimeInterval(900), duration: 7200)
        let second = planner.decide(input(booking, busy: [PrepCall(booking: "OTHER", mediator: "m.okafor", with: [.parent],
                                                                    start: taken.start, end: taken.end)], meetings: [meeting]), now: now)
        guard case .replace(let moved) = second.calls else { Issue.record("\(second.calls)"); return }
        for call in moved.calls {
            #expect(call.end.addingTimeInterval(900) <= taken.start || call.start >= taken.end.addingTimeInterval(900))
            #expect(call.end.addingTimeInterval(900) <= meeting.start || call.start >= meeting.end.addingTimeInterval(900))
        }
        // The window the store must read: the week before the meeting.
        let window = try #require(planner.busyWindow(for: booking))
        #expect(window.mediator == "m.okafor" && window.to == LocalDate(iso: "2027-03-23")!.start(in: "Europe/London"))
        #expect(window.from == LocalDate(iso: "2027-03-16")!.start(in: "Europe/London"))
    }

    @Test func aCorrectionKeepsTheCallsFamiliesWereToldOf() {
        let v1 = BookingFixtures.booking()
        guard case .replace(let plan) = planner.decide(input(v1), now: now).calls else { return }
        var v2 = v1
        v2.version = 2
        v2.parties[0].phone = "0161 496 0001"
        let decision = planner.decide(input(v2, previous: v1, calls: plan.calls), now: now)
        #expect(decision.calls == .keep && decision.currentCalls == plan.calls)
        // A moved meeting plans them again.
        var moved = v2
        moved.meeting.start = moved.meeting.start.addingTimeInterval(86_400)
        guard case .replace = planner.decide(input(moved, previous: v1, calls: plan.calls), now: now).calls else {
            Issue.record("calls kept for a moved meeting"); return
        }
    }

    @Test func aShortNoticeBookingAlertsStaffOfEachCallNotPlanned() {
        let tomorrow = BookingFixtures.booking { $0.set("meeting.start", "2027-03-02T10:00") }
        let decision = planner.decide(input(tomorrow), now: now)
        #expect(decision.alerts.count == 2)
        #expect(decision.alerts.allSatisfy { $0.cause == "unscheduled_call" && $0.reference == "MDRS-2027-0142" })
        #expect(decision.alerts.contains { $0.detail.contains("local authority") })
        #expect(!decision.alerts.contains { $0.detail.contains("Siân") || $0.detail.contains("@") })
    }

    @Test func aCancellationCancelsTheCallsAndTellsEachParty() {
        let v1 = BookingFixtures.booking()
        guard case .replace(let plan) = planner.decide(input(v1), now: now).calls else { return }
        var cancelled = v1
        cancelled.version = 2
        cancelled.status = .cancelled
        let decision = planner.decide(input(cancelled, previous: v1, calls: plan.calls), now: now)
        #expect(decision.calls == .cancel)
        #expect(decision.jobs.add.filter { $0.message == .bookingCancelled }.count == 3)
        #expect(decision.jobs.add.filter { $0.message == .prepCallCancelled }.count == 3)
    }
}
