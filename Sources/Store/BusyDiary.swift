public import Foundation
public import MediationDomain

/// The mediators' calls and meetings read during one ingest transaction, by
/// local day. A file of many bookings plans one mediator's week over and
/// over; each day is read from the database once, and the transaction's own
/// changes (calls planned or dropped, meetings stored) are written through,
/// so what it answers is what the database holds. Backends read the days it
/// lacks (``missing(mediator:from:to:)``), hand them over (``fill(_:)``),
/// then ask (``busy(mediator:from:to:excluding:)``).
public final class BusyDiary {
    private struct Day {
        var calls: [PrepCall] = []
        var meetings: [(reference: String, interval: DateInterval)] = []
    }

    /// The local days of one mediator a backend must read: calls starting
    /// and booked meetings starting in `from..<to`.
    public struct Span: Sendable {
        public let mediator: String
        public let from: Date
        public let to: Date
        fileprivate let days: [Int]
    }

    private let zone: String
    private var days: [String: [Int: Day]] = [:]

    /// An empty diary for days in `zone`.
    public init(zone: String) { self.zone = zone }

    private func day(_ instant: Date) -> Int { LocalDate(instant, zoneID: zone).daysSinceEpoch }
    private func start(_ day: Int) -> Date { LocalDate(daysSinceEpoch: day).start(in: zone) ?? Date(timeIntervalSince1970: TimeInterval(day * 86_400)) }

    /// The days of `from..<to` not read yet, as one span to read; `nil` when
    /// every day is known.
    public func missing(mediator: String, from: Date, to: Date) -> Span? {
        let first = day(from), last = day(to) - 1
        guard first <= last else { return nil }
        let known = days[mediator] ?? [:]
        let missing = (first...last).filter { known[$0] == nil }
        guard let low = missing.first, let high = missing.last else { return nil }
        return Span(mediator: mediator, from: start(low), to: start(high + 1), days: missing)
    }

    /// What the backend read for `span`: the mediator's planned calls and
    /// booked meetings starting in it.
    public func fill(_ span: Span, calls: [PrepCall], meetings: [(reference: String, interval: DateInterval)]) {
        var known = days[span.mediator] ?? [:]
        let wanted = Set(span.days)
        for number in span.days { known[number] = Day() }
        for call in calls where wanted.contains(day(call.start)) { known[day(call.start)]?.calls.append(call) }
        for meeting in meetings where wanted.contains(day(meeting.interval.start)) {
            known[day(meeting.interval.start)]?.meetings.append(meeting)
        }
        days[span.mediator] = known
    }

    /// The mediator's planned calls (but `reference`'s own) and booked
    /// meetings on the local days from `from` up to `to`, all of them read.
    public func busy(mediator: String, from: Date, to: Date, excluding reference: String) -> [BusyDay] {
        let first = day(from), last = day(to) - 1
        guard first <= last, let known = days[mediator] else { return [] }
        return (first...last).compactMap { number in
            guard let entry = known[number], !(entry.calls.isEmpty && entry.meetings.isEmpty) else { return nil }
            let calls = entry.calls.filter { $0.booking != reference }
            return BusyDay(day: LocalDate(daysSinceEpoch: number), intervals: calls.map { DateInterval(start: $0.start, end: $0.end) }
                            + entry.meetings.map(\.interval), calls: calls.count)
        }
    }

    /// What the transaction decided for a booking's calls: cancelled or
    /// replaced ones leave the diary, newly planned ones join it.
    public func calls(_ decision: BookingPlanner.Decision.Calls, replacing previous: [PrepCall]) {
        if case .keep = decision { return }
        for call in previous { days[call.mediator]?[day(call.start)]?.calls.removeAll { $0.booking == call.booking && $0.start == call.start } }
        if case .replace(let plan) = decision {
            for call in plan.calls { days[call.mediator]?[day(call.start)]?.calls.append(call) }
        }
    }

    /// A booking's meeting as it was and as it is now stored.
    public func meeting(of reference: String, was previous: Booking?, now booking: Booking) {
        if let previous, previous.status == .booked {
            days[previous.mediator]?[day(previous.meeting.start)]?.meetings.removeAll { $0.reference == reference }
        }
        if booking.status == .booked {
            days[booking.mediator]?[day(booking.meeting.start)]?.meetings
                .append((reference, DateInterval(start: booking.meeting.start, end: booking.meeting.end)))
        }
    }
}
