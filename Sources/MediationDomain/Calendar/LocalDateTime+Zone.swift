import Foundation

extension LocalDate {
    /// The instant this day begins in `zoneID` (its first minute, should the
    /// clocks skip midnight); `nil` only for an unknown zone.
    public func start(in zoneID: String) -> Date? {
        LocalDateTime(date: self, time: LocalTime(hour: 0, minute: 0)!).earliestInstant(in: zoneID)
    }
}

extension LocalDateTime {
    /// The wall-clock time of an instant in a zone.
    public init(_ instant: Date, zoneID: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zoneID) ?? TimeZone(identifier: "Europe/London")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        self.init(date: LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!,
                  time: LocalTime(hour: parts.hour!, minute: parts.minute!)!)
    }

    /// Like ``instant(in:)``, but a time the clocks skip (spring forward)
    /// becomes the first instant after the gap, as a wall clock would show
    /// it; `nil` only for an unknown zone.
    public func earliestInstant(in zoneID: String) -> Date? {
        if let exact = try? instant(in: zoneID) { return exact }
        for shift in stride(from: 15, through: 120, by: 15) {
            let minutes = time.minutesIntoDay + shift
            guard minutes < 24 * 60, let later = LocalTime(hour: minutes / 60, minute: minutes % 60) else { break }
            if let instant = try? LocalDateTime(date: date, time: later).instant(in: zoneID) { return instant }
        }
        return nil
    }
}
