public import Foundation
import Synchronization

/// IANA zones by identifier, looked up once: building a `TimeZone` reads
/// the zone database, and the planner and the emails convert often.
public enum Zones {
    private static let cache = Mutex<[String: TimeZone]>([:])

    /// The zone the service works in when a booking names none.
    public static let london = TimeZone(identifier: "Europe/London")!

    /// The zone with this identifier, or `nil` when there is none.
    public static func zone(_ identifier: String) -> TimeZone? {
        if let known = cache.withLock({ $0[identifier] }) { return known }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        cache.withLock { $0[identifier] = zone }
        return zone
    }

    /// Seconds east of UTC in `zoneID` at `instant` (London for an unknown zone).
    static func offset(_ zoneID: String, at instant: Date) -> Int {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        if let known = offsets.withLock({ $0[zoneID]?[day] }) { return known.offset(at: seconds) }
        let zone = zone(zoneID) ?? london
        guard let span = DayOffsets(day: day, zone: zone) else { return zone.secondsFromGMT(for: instant) }
        offsets.withLock { $0[zoneID, default: [:]][day] = span }
        return span.offset(at: seconds)
    }

    /// Each zone's offsets by UTC day: ICU's look-up was a twentieth of
    /// planning a booking, and a day's offsets are found once.
    private static let offsets = Mutex<[String: [Int64: DayOffsets]]>([:])

    /// A UTC day's offsets in one zone: one all day, or one before and
    /// one after its single change.
    private struct DayOffsets {
        var before: Int
        var change: Int64
        var after: Int

        func offset(at seconds: Int64) -> Int { seconds < change ? before : after }

        /// `nil` for a day this cannot describe (two changes), which is
        /// then looked up instant by instant.
        init?(day: Int64, zone: TimeZone) {
            let start = Date(timeIntervalSince1970: TimeInterval(day * 86_400))
            let end = start.addingTimeInterval(86_400)
            before = zone.secondsFromGMT(for: start)
            if let change = zone.nextDaylightSavingTimeTransition(after: start), change < end {
                guard zone.nextDaylightSavingTimeTransition(after: change).map({ $0 >= end }) ?? true else { return nil }
                self.change = Int64(change.timeIntervalSince1970.rounded(.down))
                after = zone.secondsFromGMT(for: change)
            } else {
                change = day * 86_400 + 86_400
                after = before
            }
            // A change the zone does not report as a transition shows here.
            guard zone.secondsFromGMT(for: end.addingTimeInterval(-1)) == after else { return nil }
        }
    }
}

extension LocalDateTime {
    /// The wall-clock time of an instant in a zone, to the minute. This is
    /// the one conversion from UTC to local time; everything else uses it.
    public init(_ instant: Date, zoneID: String) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + Zones.offset(zoneID, at: instant)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minutes = (seconds - days * 86_400) / 60
        self.init(date: LocalDate(daysSinceEpoch: days), time: LocalTime(hour: minutes / 60, minute: minutes % 60)!)
    }

    /// Seconds since the epoch as if this wall-clock time were UTC.
    var naiveSeconds: Int { date.daysSinceEpoch * 86_400 + time.minutesIntoDay * 60 }

    /// The UTC instants this wall-clock time names in `zoneID`: none when the
    /// clocks skip it, two in the hour they go back, otherwise one.
    func instants(in zoneID: String) throws(ZoneError) -> [Date] {
        guard let zone = Zones.zone(zoneID) else { throw .unknownZone }
        let naive = naiveSeconds
        // Zone offsets change at most a few times a year, so the offsets a
        // day either side cover both sides of any change near this time.
        var offsets: [Int] = []
        for probe in [-86_400, 0, 86_400] {
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive + probe)))
            if !offsets.contains(offset) { offsets.append(offset) }
        }
        // A candidate is real only if the zone's offset at it is the one used.
        return offsets.compactMap { offset -> Date? in
            let candidate = Date(timeIntervalSince1970: TimeInterval(naive - offset))
            return zone.secondsFromGMT(for: candidate) == offset ? candidate : nil
        }.sorted()
    }

    /// Why a wall-clock time has no instant in a zone.
    public enum ZoneError: Error, Equatable {
        /// The zone identifier is not a known IANA zone.
        case unknownZone
        /// The clocks skip this time (spring forward).
        case nonexistent
    }

    /// The UTC instant this wall-clock time names in `zone`. In the hour the
    /// clocks go back the earlier instant is taken; a time the clocks skip is
    /// an error, never silently moved.
    public func instant(in zoneID: String) throws(ZoneError) -> Date {
        guard let first = try instants(in: zoneID).first else { throw .nonexistent }
        return first
    }

    /// Like ``instant(in:)``, but a time the clocks skip (spring forward)
    /// becomes the first instant after the gap, as a wall clock would show
    /// it; `nil` only for an unknown zone.
    public func earliestInstant(in zoneID: String) -> Date? {
        if let exact = try? instant(in: zoneID) { return exact }
        guard Zones.zone(zoneID) != nil else { return nil }
        for shift in stride(from: 15, through: 180, by: 15) {
            let minutes = time.minutesIntoDay + shift
            let later = LocalDateTime(date: minutes >= 1440 ? date.adding(days: 1) : date,
                                      time: LocalTime(hour: (minutes % 1440) / 60, minute: minutes % 60)!)
            if let instant = try? later.instant(in: zoneID) { return instant }
        }
        return nil
    }

    /// "2027-03-30T09:00:00+01:00": the instant in ISO 8601 with the zone's
    /// offset written out. The one ISO 8601 formatter mdrsd uses.
    public static func iso8601(_ instant: Date, zoneID: String) -> String {
        let local = LocalDateTime(instant, zoneID: zoneID)
        let offset = Zones.offset(zoneID, at: instant) / 60
        let sign = offset < 0 ? "-" : "+"
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) % 60
        return "\(local.date)T\(local.time):" + Padded.digits((seconds + 60) % 60, 2)
            + sign + Padded.digits(abs(offset) / 60, 2) + ":" + Padded.digits(abs(offset) % 60, 2)
    }
}

extension LocalDate {
    /// The local date of an instant in a zone.
    public init(_ instant: Date, zoneID: String) {
        self = LocalDateTime(instant, zoneID: zoneID).date
    }

    /// The instant this day begins in `zoneID` (its first minute, should the
    /// clocks skip midnight); `nil` only for an unknown zone.
    public func start(in zoneID: String) -> Date? {
        LocalDateTime(date: self, time: LocalTime(hour: 0, minute: 0)!).earliestInstant(in: zoneID)
    }
}
