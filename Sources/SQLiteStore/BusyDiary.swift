import Foundation
import GRDB
import MediationDomain

/// The mediators' calls and meetings read during one ingest transaction, by
/// local day. A file of many bookings plans one mediator's week over and
/// over; each day is read from the database once, and the transaction's own
/// changes (calls planned or dropped, meetings stored) are written through,
/// so what it answers is what the database holds.
final class BusyDiary {
    private struct Day {
        var calls: [PrepCall] = []
        var meetings: [(reference: String, interval: DateInterval)] = []
    }

    private let zone: String
    private var days: [String: [Int: Day]] = [:]

    init(zone: String) { self.zone = zone }

    private func day(_ instant: Date) -> Int { LocalDate(instant, zoneID: zone).daysSinceEpoch }
    private func start(_ day: Int) -> Date { LocalDate(daysSinceEpoch: day).start(in: zone) ?? Date(timeIntervalSince1970: TimeInterval(day * 86_400)) }

    /// The mediator's planned calls (but `reference`'s own) and booked
    /// meetings on the local days from `from` up to `to`.
    func busy(mediator: String, from: Date, to: Date, excluding reference: String, _ db: Database) throws -> [BusyDay] {
        let first = day(from), last = day(to) - 1
        guard first <= last else { return [] }
        var known = days[mediator] ?? [:]
        let missing = (first...last).filter { known[$0] == nil }
        if let low = missing.first, let high = missing.last {
            for number in missing { known[number] = Day() }
            let (spanStart, spanEnd) = (JobRecord.seconds(start(low)), JobRecord.seconds(start(high + 1)))
            let calls = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT booking_reference, mediator, with_roles, start_at, end_at FROM call
                WHERE mediator = ? AND start_at >= ? AND start_at < ? AND state = 'planned'
                """), arguments: [mediator, spanStart, spanEnd])
            for row in calls {
                let call = PrepCall(booking: row[0], mediator: row[1], with: CallRecord.roles(row[2]), start: JobRecord.date(row[3]),
                                    end: JobRecord.date(row[4]))
                let number = day(call.start)
                if missing.contains(number) { known[number]?.calls.append(call) }
            }
            let meetings = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT reference, meeting_start, meeting_end FROM booking
                WHERE mediator = ? AND status = 'booked' AND meeting_start >= ? AND meeting_start < ?
                """), arguments: [mediator, spanStart, spanEnd])
            for row in meetings {
                let begin: Int64 = row[1], end: Int64 = row[2]
                let interval = DateInterval(start: JobRecord.date(begin), end: JobRecord.date(max(end, begin)))
                let number = day(interval.start)
                if missing.contains(number) { known[number]?.meetings.append((row[0], interval)) }
            }
            days[mediator] = known
        }
        return (first...last).compactMap { number in
            guard let entry = known[number], !(entry.calls.isEmpty && entry.meetings.isEmpty) else { return nil }
            let calls = entry.calls.filter { $0.booking != reference }
            return BusyDay(day: LocalDate(daysSinceEpoch: number), intervals: calls.map { DateInterval(start: $0.start, end: $0.end) }
                            + entry.meetings.map(\.interval), calls: calls.count)
        }
    }

    /// Calls the transaction planned.
    func planned(_ calls: [PrepCall]) {
        for call in calls { days[call.mediator]?[day(call.start)]?.calls.append(call) }
    }

    /// Calls the transaction dropped or cancelled.
    func dropped(_ calls: [PrepCall]) {
        for call in calls { days[call.mediator]?[day(call.start)]?.calls.removeAll { $0.booking == call.booking && $0.start == call.start } }
    }

    /// A booking's meeting as it was and as it is now stored.
    func meeting(of reference: String, was previous: Booking?, now booking: Booking) {
        if let previous, previous.status == .booked {
            days[previous.mediator]?[day(previous.meeting.start)]?.meetings.removeAll { $0.reference == reference }
        }
        if booking.status == .booked {
            days[booking.mediator]?[day(booking.meeting.start)]?.meetings
                .append((reference, DateInterval(start: booking.meeting.start, end: booking.meeting.end)))
        }
    }
}
