// plan-bench: planning the preparatory calls of 10,000 bookings across 50
// mediators (meetings spread over a year), release build. Last line: JSON.
import Foundation
import MediationDomain
import SeededRandom


func main() {
    let count = 10_000, mediatorCount = 50
    var rng = SplitMix64(seed: 2027)
    let mediators = (0..<mediatorCount).map { Mediator(id: "m\($0)", name: "Mediator \($0)", callsPerDay: 6) }
    let first = LocalDate(iso: "2027-01-04")!
    let bookings: [Booking] = (0..<count).map { n in
        let day = first.adding(days: Int.random(in: 0..<365, using: &rng))
        let local = LocalDateTime(date: day, time: LocalTime(hour: Int.random(in: 9...15, using: &rng), minute: 0)!)
        let start = (try? local.instant(in: "Europe/London")) ?? Date(timeIntervalSince1970: 0)
        let weekday = Weekday.allCases.randomElement(using: &rng)!
        var parties = [Party(role: .parent, name: "Family \(n)",
                             unavailable: [Unavailability(weekday: weekday, from: LocalTime(hour: 9, minute: 0)!, to: LocalTime(hour: 11, minute: 0)!)]),
                       Party(role: .localAuthority, name: "Officer \(n)")]
        if n % 3 == 0 { parties.insert(Party(role: .advocate, name: "Advocate \(n)"), at: 1) }
        if n % 5 == 0 { parties.append(Party(role: .health, name: "ICB \(n)")) }
        return Booking(reference: "MDRS-B-\(n)", version: 1, status: .booked, kind: .mediation, grounds: [.planContents],
                       requestedOn: nil, decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 10),
                       meeting: Meeting(local: local, timezone: "Europe/London", start: start, durationMinutes: 120, venue: "Room", onlineURL: nil),
                       mediator: mediators[n % mediatorCount].id, parties: parties)
    }
    let now = Date(timeIntervalSince1970: 1_790_000_000) // December 2026: everything ahead
    let clock = ContinuousClock()
    var placed = 0, unscheduled = 0
    let elapsed = clock.measure {
        var planner = CallPlanner(rules: PlanningRules(), calendar: WorkingDayCalendar(), mediators: mediators)
        for booking in bookings { planner.addMeeting(of: booking) }
        for booking in bookings {
            let plan = planner.plan(booking, now: now)
            placed += plan.calls.count
            unscheduled += plan.unscheduled.count
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("plan-bench: \(count) bookings, \(mediatorCount) mediators, meetings over 2027")
    print("{\"bookings\": \(count), \"mediators\": \(mediatorCount), \"calls_placed\": \(placed), \"unscheduled\": \(unscheduled), \"seconds\": \((seconds * 1000).rounded() / 1000)}")
}

main()
