public import Foundation

/// The hours no family-facing email is sent (DESIGN.md: 20:00–08:00 local);
/// what falls inside waits for the morning.
public struct QuietHours: Sendable, Equatable {
    /// When quiet hours begin and end, local time; `from` may be after `to`
    /// (the span crosses midnight).
    public var from: LocalTime
    public var to: LocalTime

    /// Quiet from `from` until `to`.
    public init(from: LocalTime, to: LocalTime) {
        self.from = from
        self.to = to
    }

    /// 20:00 to 08:00.
    public static let standard = QuietHours(from: LocalTime(hour: 20, minute: 0)!, to: LocalTime(hour: 8, minute: 0)!)

    /// Equal ends switch quiet hours off.
    public var isEnabled: Bool { from != to }

    /// Whether a wall-clock time is quiet; the span may cross midnight.
    public func contains(_ time: LocalTime) -> Bool {
        guard isEnabled else { return false }
        return from < to ? (from <= time && time < to) : (time >= from || time < to)
    }

    /// `instant` itself when it is not quiet in `zoneID`, else the end of
    /// the quiet hours it falls in (the morning), as an instant.
    public func release(_ instant: Date, zoneID: String) -> Date {
        let local = LocalDateTime(instant, zoneID: zoneID)
        guard contains(local.time) else { return instant }
        let morning = local.time >= to && from > to ? local.date.adding(days: 1) : local.date
        return LocalDateTime(date: morning, time: to).earliestInstant(in: zoneID) ?? instant
    }
}
