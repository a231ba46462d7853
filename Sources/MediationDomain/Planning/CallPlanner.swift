public import Foundation

/// Plans each booking's preparatory calls (DOMAIN.md, "Preparatory calls").
///
/// Per booking: a joint call with the family and its advocate first, then
/// the local authority, then health when a health party takes part. Each
/// call gets the earliest slot that is on a working day in the window (from
/// `windowDays` before the meeting, never before the next working day after
/// `now`, up to the last working day before the meeting), inside the
/// mediator's hours and working days, off their leave, under their calls a
/// day, clear of their other calls and meetings by the gap, and outside
/// every caller's stated unavailable times. What does not fit becomes an
/// ``UnscheduledCall`` with a reason, for staff.
///
/// The planner keeps the calls already placed; planning a booking adds its
/// calls and never moves anyone else's, and the same inputs always give the
/// same plan.
public struct CallPlanner: Sendable {
    public let rules: PlanningRules
    public let calendar: WorkingDayCalendar
    public let mediators: [String: Mediator]
    /// Busy intervals (calls and meetings, gap not included) by mediator and local day.
    private var busy: [String: [LocalDate: [Interval]]] = [:]
    private var callsOnDay: [String: [LocalDate: Int]] = [:]

    struct Interval: Sendable { var start: Date; var end: Date }

    public init(rules: PlanningRules, calendar: WorkingDayCalendar, mediators: [Mediator]) {
        self.init(rules: rules, calendar: calendar, mediatorsByID: Dictionary(mediators.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// A planner for mediators already looked up by id (one per booking of
    /// a large file: the dictionary is built once).
    public init(rules: PlanningRules, calendar: WorkingDayCalendar, mediatorsByID: [String: Mediator]) {
        self.rules = rules
        self.calendar = calendar
        self.mediators = mediatorsByID
    }

    /// Records a call already booked (another booking's, or one families
    /// were told about), so new plans work around it.
    public mutating func add(_ call: PrepCall) {
        let day = LocalDate(call.start, zoneID: rules.zone)
        busy[call.mediator, default: [:]][day, default: []].append(Interval(start: call.start, end: call.end))
        callsOnDay[call.mediator, default: [:]][day, default: 0] += 1
    }

    /// Records a day of `mediator`'s diary whose day is already known
    /// (the store keeps diaries by day): no conversion per call.
    public mutating func add(_ day: BusyDay, mediator: String) {
        busy[mediator, default: [:]][day.day, default: []] += day.intervals.map { Interval(start: $0.start, end: $0.end) }
        callsOnDay[mediator, default: [:]][day.day, default: 0] += day.calls
    }

    /// Records a meeting the mediator runs, so no call overlaps it.
    public mutating func addMeeting(of booking: Booking) {
        guard booking.status == .booked else { return }
        addMeeting(mediator: booking.mediator, DateInterval(start: booking.meeting.start, end: booking.meeting.end))
    }

    /// Records a meeting of `mediator` over `interval`.
    public mutating func addMeeting(mediator: String, _ interval: DateInterval) {
        let day = LocalDate(interval.start, zoneID: rules.zone)
        busy[mediator, default: [:]][day, default: []].append(Interval(start: interval.start, end: interval.end))
    }

    /// The calls a booking needs, in order: family (with advocate), local
    /// authority, health.
    public static func callGroups(_ booking: Booking) -> [[Int]] {
        let family = booking.parties.indices.filter { booking.parties[$0].role.isFamily || booking.parties[$0].role == .advocate }
        let authority = booking.parties.indices.filter { booking.parties[$0].role == .localAuthority }
        let health = booking.parties.indices.filter { booking.parties[$0].role == .health }
        return [family, authority, health].filter { !$0.isEmpty }
    }

    /// Plans `booking`'s calls and keeps them as booked.
    public mutating func plan(_ booking: Booking, now: Date) -> CallPlan {
        var plan = CallPlan()
        guard booking.status == .booked else { return plan }
        let groups = Self.callGroups(booking)
        func roles(_ group: [Int]) -> [Role] {
            var seen: [Role] = []
            for index in group where !seen.contains(booking.parties[index].role) { seen.append(booking.parties[index].role) }
            return seen
        }
        guard let mediator = mediators[booking.mediator] else {
            plan.unscheduled = groups.map {
                UnscheduledCall(booking: booking.reference, with: roles($0), reason: "mediator '\(booking.mediator)' is not in the config")
            }
            return plan
        }
        let meetingDay = LocalDate(booking.meeting.start, zoneID: rules.zone)
        let today = LocalDate(now, zoneID: rules.zone)
        let firstDay = max(meetingDay.adding(days: -rules.windowDays), calendar.adding(workingDays: 1, to: today))
        let lastDay = meetingDay.adding(days: -1)
        var notBefore = now
        for group in groups {
            let with = roles(group)
            let unavailable = group.flatMap { booking.parties[$0].unavailable }
            if let slot = earliestSlot(for: mediator, from: firstDay, through: lastDay, notBefore: notBefore,
                                       unavailable: unavailable, meetingZone: booking.meeting.timezone) {
                let call = PrepCall(booking: booking.reference, mediator: mediator.id, with: with, start: slot.start, end: slot.end)
                add(call)
                plan.calls.append(call)
                notBefore = slot.end.addingTimeInterval(TimeInterval(rules.gapMinutes * 60))
            } else {
                let reason = firstDay > lastDay
                    ? "the meeting on \(meetingDay) is too soon: no working day is left before it"
                    : "no free slot in \(mediator.id)'s hours from \(firstDay) to \(lastDay)"
                plan.unscheduled.append(UnscheduledCall(booking: booking.reference, with: with, reason: reason))
            }
        }
        return plan
    }

    private func earliestSlot(for mediator: Mediator, from firstDay: LocalDate, through lastDay: LocalDate, notBefore: Date,
                              unavailable: [Unavailability], meetingZone: String) -> Interval? {
        guard firstDay <= lastDay else { return nil }
        let call = TimeInterval(rules.callMinutes * 60), gap = TimeInterval(rules.gapMinutes * 60)
        var day = firstDay
        while day <= lastDay {
            defer { day = day.adding(days: 1) }
            guard calendar.isWorkingDay(day), mediator.workingDays.contains(day.weekday), !mediator.isOnLeave(day),
                  callsOnDay[mediator.id]?[day, default: 0] ?? 0 < mediator.callsPerDay,
                  let hours = workingHours(of: mediator, on: day) else { continue }
            let taken = busy[mediator.id]?[day] ?? []
            // In the planning zone, a candidate's local minute follows from the
            // day's first (the day has no clock change): no zone lookup each.
            let sameZone = meetingZone == rules.zone
            let today = sameZone ? unavailable.filter { $0.weekday == day.weekday } : unavailable
            let callLength = rules.callMinutes
            var start = hours.start, minute = mediator.dayStart.minutesIntoDay
            while start.addingTimeInterval(call) <= hours.end {
                defer {
                    start = start.addingTimeInterval(TimeInterval(rules.stepMinutes * 60))
                    minute += rules.stepMinutes
                }
                let end = start.addingTimeInterval(call)
                guard start >= notBefore,
                      !taken.contains(where: { start < $0.end.addingTimeInterval(gap) && $0.start < end.addingTimeInterval(gap) }) else { continue }
                if sameZone {
                    if today.contains(where: { minute < $0.to.minutesIntoDay && $0.from.minutesIntoDay < minute + callLength }) { continue }
                } else if clashes(start, end, with: today, zone: meetingZone) {
                    continue
                }
                return Interval(start: start, end: end)
            }
        }
        return nil
    }

    /// The day's working hours as instants. Candidate starts step evenly
    /// from the first, which is right because UK clocks change at 01:00-02:00,
    /// outside any working day; hours that span a change (a night shift) would
    /// not step evenly, so such a day is skipped rather than mis-planned.
    private func workingHours(of mediator: Mediator, on day: LocalDate) -> Interval? {
        guard let start = try? LocalDateTime(date: day, time: mediator.dayStart).instant(in: rules.zone),
              let end = try? LocalDateTime(date: day, time: mediator.dayEnd).instant(in: rules.zone), start < end,
              Int(end.timeIntervalSince(start)) == (mediator.dayEnd.minutesIntoDay - mediator.dayStart.minutesIntoDay) * 60
        else { return nil }
        return Interval(start: start, end: end)
    }

    /// Whether a call overlaps a party's weekly unavailable time, in the
    /// meeting's zone.
    private func clashes(_ start: Date, _ end: Date, with unavailable: [Unavailability], zone: String) -> Bool {
        guard !unavailable.isEmpty else { return false }
        let local = LocalDateTime(start, zoneID: zone)
        let minutes = local.time.minutesIntoDay
        let length = Int(end.timeIntervalSince(start) / 60)
        return unavailable.contains { slot in
            slot.weekday == local.date.weekday && minutes < slot.to.minutesIntoDay && slot.from.minutesIntoDay < minutes + length
        }
    }
}
