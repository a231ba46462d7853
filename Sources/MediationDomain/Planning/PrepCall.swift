public import Foundation

/// One preparatory call: the mediator phones these parties of a booking.
public struct PrepCall: Sendable, Equatable, Codable {
    public var booking: String
    public var mediator: String
    /// The roles on the call, e.g. `[parent, advocate]` for a joint family call.
    public var with: [Role]
    public var start: Date
    public var end: Date

    public init(booking: String, mediator: String, with: [Role], start: Date, end: Date) {
        self.booking = booking
        self.mediator = mediator
        self.with = with
        self.start = start
        self.end = end
    }
}

/// A call no slot could be found for: staff must arrange it by hand.
public struct UnscheduledCall: Sendable, Equatable, Codable {
    public var booking: String
    public var with: [Role]
    public var reason: String

    public init(booking: String, with: [Role], reason: String) {
        self.booking = booking
        self.with = with
        self.reason = reason
    }
}

/// One local day of a mediator's diary as planning sees it: when they are
/// busy (calls and meetings, gap not included) and how many calls they have.
public struct BusyDay: Sendable, Equatable {
    public var day: LocalDate
    public var intervals: [DateInterval]
    public var calls: Int

    /// The day `day`, busy over `intervals`, with `calls` calls.
    public init(day: LocalDate, intervals: [DateInterval], calls: Int) {
        self.day = day
        self.intervals = intervals
        self.calls = calls
    }

    /// Calls and meetings grouped into their local days in `zone`.
    public static func days(calls: [PrepCall], meetings: [DateInterval], zone: String) -> [BusyDay] {
        var days: [LocalDate: BusyDay] = [:]
        for call in calls {
            let day = LocalDate(call.start, zoneID: zone)
            days[day, default: BusyDay(day: day, intervals: [], calls: 0)].intervals.append(DateInterval(start: call.start, end: call.end))
            days[day]?.calls += 1
        }
        for meeting in meetings {
            let day = LocalDate(meeting.start, zoneID: zone)
            days[day, default: BusyDay(day: day, intervals: [], calls: 0)].intervals.append(meeting)
        }
        return days.values.sorted { $0.day < $1.day }
    }
}

/// What planning one booking produced.
public struct CallPlan: Sendable, Equatable {
    public var calls: [PrepCall]
    public var unscheduled: [UnscheduledCall]

    public init(calls: [PrepCall] = [], unscheduled: [UnscheduledCall] = []) {
        self.calls = calls
        self.unscheduled = unscheduled
    }
}
