import Foundation
import MDRSTestSupport
import MediationDomain
import PropertyBased
import SeededRandom
import Testing

/// Random booking sets, planned one after another; every rule of DOMAIN.md's
/// "Preparatory calls" is checked on every call.
@Suite struct CallPlannerPropertyTests {

    static let zone = "Europe/London"
    static let calendar = WorkingDayCalendar(changes: WorkingDayCalendarTests.oneOffs)
    static let rules = PlanningRules()
    static let mediators = [
        Mediator(id: "m.okafor", name: "Mina Okafor", callsPerDay: 4),
        Mediator(id: "j.evans", name: "Jo Evans", workingDays: [.mon, .wed, .thu], dayStart: LocalTime(hour: 10, minute: 0)!,
                 dayEnd: LocalTime(hour: 15, minute: 0)!, callsPerDay: 3,
                 leave: [LocalDate(iso: "2027-03-22")!...LocalDate(iso: "2027-03-24")!]),
        Mediator(id: "s.patel", name: "Sam Patel", dayStart: LocalTime(hour: 8, minute: 30)!, dayEnd: LocalTime(hour: 12, minute: 30)!,
                 callsPerDay: 2),
    ]

    /// A random booking set; meetings 15 March - 20 April 2027 (the clocks
    /// change on 28 March, Easter is 26-29 March), some booked at short notice.
    static func bookings(seed: Int, count: Int) -> [(booking: Booking, now: Date)] {
        var rng = SplitMix64(seed: UInt64(bitPattern: Int64(seed)))
        let base = LocalDate(iso: "2027-03-15")!
        return (0..<count).map { n in
            let day = base.adding(days: Int.random(in: 0...36, using: &rng))
            let local = LocalDateTime(date: day, time: LocalTime(hour: Int.random(in: 9...15, using: &rng), minute: 0)!)
            let start = try! local.instant(in: zone)
            let weekday = Weekday.allCases.randomElement(using: &rng)!
            let from = Int.random(in: 8...15, using: &rng)
            var parties = [Party(role: [.parent, .carer, .youngPerson].randomElement(using: &rng)!, name: "Family \(n)",
                                 unavailable: [Unavailability(weekday: weekday, from: LocalTime(hour: from, minute: 0)!,
                                                              to: LocalTime(hour: from + 2, minute: 0)!)])]
            if Bool.random(using: &rng) { parties.append(Party(role: .advocate, name: "Advocate \(n)")) }
            parties.append(Party(role: .localAuthority, name: "Officer \(n)"))
            if Int.random(in: 0..<4, using: &rng) == 0 { parties.append(Party(role: .health, name: "ICB \(n)")) }
            let mediator = Int.random(in: 0..<10, using: &rng) == 0 ? "nobody" : mediators.randomElement(using: &rng)!.id
            let booking = Booking(
                reference: "MDRS-P-\(n)", version: 1, status: .booked, kind: .mediation, grounds: [.planContents],
                requestedOn: nil, decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 10),
                meeting: Meeting(local: local, timezone: zone, start: start, durationMinutes: 120, venue: "Room 1", onlineURL: nil),
                mediator: mediator, parties: parties)
            // Most are booked well ahead; one in four the day before the window opens or later.
            let ahead = Int.random(in: 0..<4, using: &rng) == 0 ? Double(Int.random(in: 1...8, using: &rng)) : 30
            return (booking, start.addingTimeInterval(-ahead * 86_400))
        }
    }

    static func planAll(_ set: [(booking: Booking, now: Date)]) -> [CallPlan] {
        var planner = CallPlanner(rules: rules, calendar: calendar, mediators: mediators)
        for item in set { planner.addMeeting(of: item.booking) }
        return set.map { planner.plan($0.booking, now: $0.now) }
    }

    @Test func everyCallKeepsEveryRule() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...60)) { seed, count in
            let set = Self.bookings(seed: seed, count: count)
            let plans = Self.planAll(set)
            let mediators = Dictionary(uniqueKeysWithValues: Self.mediators.map { ($0.id, $0) })
            var byMediator: [String: [(Date, Date)]] = [:]
            for ((booking, now), plan) in zip(set, plans) {
                let groups = CallPlanner.callGroups(booking)
                // Every call is placed or reported, never dropped.
                #expect(plan.calls.count + plan.unscheduled.count == groups.count)
                #expect(plan.unscheduled.allSatisfy { !$0.reason.isEmpty })
                let meetingDay = LocalDate(booking.meeting.start, zoneID: Self.zone)
                for (index, call) in plan.calls.enumerated() {
                    let mediator = try #require(mediators[call.mediator])
                    let day = LocalDate(call.start, zoneID: Self.zone)
                    let startTime = Self.localMinutes(call.start), endTime = Self.localMinutes(call.end)
                    #expect(Self.calendar.isWorkingDay(day), "\(booking.reference) on a non-working day \(day)")
                    #expect(mediator.workingDays.contains(day.weekday) && !mediator.isOnLeave(day))
                    #expect(day >= meetingDay.adding(days: -7) && day < meetingDay, "\(booking.reference) outside the window: \(day)")
                    #expect(call.start > now && day > LocalDate(now, zoneID: Self.zone))
                    #expect(startTime >= mediator.dayStart.minutesIntoDay && endTime <= mediator.dayEnd.minutesIntoDay)
                    #expect(call.end.timeIntervalSince(call.start) == 30 * 60)
                    // Callers' unavailable times.
                    for party in booking.parties where call.with.contains(party.role) {
                        for slot in party.unavailable where slot.weekday == day.weekday {
                            #expect(!(startTime < slot.to.minutesIntoDay && slot.from.minutesIntoDay < endTime))
                        }
                    }
                    // The family first.
                    if index > 0 { #expect(plan.calls[index - 1].end <= call.start) }
                    byMediator[call.mediator, default: []].append((call.start, call.end))
                }
                if let family = plan.calls.first(where: { $0.with.contains { $0.isFamily } }),
                   let authority = plan.calls.first(where: { $0.with == [.localAuthority] }) {
                    #expect(family.start < authority.start)
                }
            }
            for (id, calls) in byMediator {
                let mediator = mediators[id]!
                // No overlaps, the gap kept, not over the calls a day, clear of meetings.
                let sorted = calls.sorted { $0.0 < $1.0 }
                for (a, b) in zip(sorted, sorted.dropFirst()) { #expect(a.1.addingTimeInterval(15 * 60) <= b.0) }
                let perDay = Dictionary(grouping: calls) { LocalDate($0.0, zoneID: Self.zone) }
                #expect(perDay.values.allSatisfy { $0.count <= mediator.callsPerDay })
                for (booking, _) in set where booking.mediator == id {
                    let meeting = (booking.meeting.start, booking.meeting.end)
                    #expect(calls.allSatisfy { $0.1.addingTimeInterval(15 * 60) <= meeting.0 || meeting.1.addingTimeInterval(15 * 60) <= $0.0 })
                }
            }
        }
    }

    /// The rule checks above would pass vacuously if nothing were placed.
    @Test func mostCallsFindASlot() {
        let set = Self.bookings(seed: 42, count: 30)
        let plans = Self.planAll(set)
        let placed = plans.map(\.calls.count).reduce(0, +), missing = plans.map(\.unscheduled.count).reduce(0, +)
        print("planner: \(placed) calls placed, \(missing) unscheduled for 30 bookings")
        #expect(placed > 3 * missing)
        #expect(plans.flatMap(\.unscheduled).contains { $0.reason.contains("not in the config") })
    }

    @Test func deterministicAndStable() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...1_000_000), Gen.int(in: 2...40)) { seed, count in
            let set = Self.bookings(seed: seed, count: count)
            let plans = Self.planAll(set)
            #expect(Self.planAll(set) == plans, "the same input gave another plan")
            // Planning one more booking moves no call of the bookings before it.
            var planner = CallPlanner(rules: Self.rules, calendar: Self.calendar, mediators: Self.mediators)
            for item in set { planner.addMeeting(of: item.booking) }
            let earlier = set.dropLast().map { planner.plan($0.booking, now: $0.now) }
            #expect(earlier == Array(plans.dropLast()))
        }
    }

    static func localMinutes(_ instant: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return parts.hour! * 60 + parts.minute!
    }
}
