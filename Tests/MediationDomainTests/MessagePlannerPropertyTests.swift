import Foundation
import MDRSTestSupport
import MediationDomain
import PropertyBased
import Testing

/// The reminder plan on random booking sets (the same generator as the call
/// planner's: Easter, the clock change, short notice): the rules that
/// protect families hold for every email planned.
@Suite struct MessagePlannerPropertyTests {
    static let planner = MessagePlanner(calendar: CallPlannerPropertyTests.calendar)

    static func emailed(_ booking: Booking) -> Booking {
        var booking = booking
        for index in booking.parties.indices { booking.parties[index].email = "party\(index)@example.org" }
        return booking
    }

    @Test func familyMailNeverFallsInQuietHoursAndNothingComesAfterItsEvent() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...30)) { seed, count in
            let set = CallPlannerPropertyTests.bookings(seed: seed, count: count)
            let plans = CallPlannerPropertyTests.planAll(set)
            for (index, ((booking, planned), calls)) in zip(set, plans).enumerated() {
                // Any hour of the day, evenings and nights too.
                let now = planned.addingTimeInterval(Double((seed + index) % 24) * 3600 - 12 * 3600)
                let booking = Self.emailed(booking)
                let messages = Self.planner.plan(booking, previous: nil, calls: calls.calls, now: now)
                #expect(Set(messages.map(\.key)).count == messages.count, "keys are unique")
                for message in messages {
                    #expect(message.due >= now || message.onlyIfFuture, "\(message.key) is due before it was planned")
                    if let role = Role(rawValue: message.recipient.roleName), role.isFamilyFacing {
                        let local = LocalDateTime(message.due, zoneID: booking.meeting.timezone).time
                        #expect(!Self.planner.quietHours.contains(local), "\(message.key) at \(local)")
                    }
                    switch message.message {
                    case .meetingReminder, .bookingConfirmation, .prepCallScheduled, .mediatorAgenda:
                        #expect(message.due < booking.meeting.start, "\(message.key) after the meeting")
                    case .prepCallReminder:
                        let call = calls.calls.first { $0.with.contains(Role(rawValue: message.recipient.roleName)!) }
                        #expect(call.map { message.due < $0.start } == true, "\(message.key) after its call")
                    case .certificateDue:
                        #expect(message.due > booking.meeting.end && message.recipient.partyIndex == nil)
                    default:
                        Issue.record("\(message.message) planned for a new booking")
                    }
                }
            }
        }
    }

    @Test func planningTheSameVersionAgainAnnouncesNothingAndKeepsEveryKey() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...20)) { seed, count in
            let set = CallPlannerPropertyTests.bookings(seed: seed, count: count)
            for ((booking, now), calls) in zip(set, CallPlannerPropertyTests.planAll(set)) {
                let booking = Self.emailed(booking)
                let first = Self.planner.plan(booking, previous: nil, calls: calls.calls, now: now)
                let again = Self.planner.plan(booking, previous: booking, calls: calls.calls, now: now)
                #expect(!again.contains { $0.message == .bookingConfirmation || $0.message == .bookingChanged })
                let scheduled = { (plan: [PlannedMessage]) in Set(plan.filter { $0.message != .bookingConfirmation }.map(\.key)) }
                #expect(scheduled(first) == scheduled(again))
            }
        }
    }
}
