extension LocalDate {
    /// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic
    /// without a time zone.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch z: Int) {
        let shifted = z + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let doe = shifted - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)!
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        [Weekday.thu, .fri, .sat, .sun, .mon, .tue, .wed][((daysSinceEpoch % 7) + 7) % 7]
    }

    public var isWeekend: Bool { weekday == .sat || weekday == .sun }

    /// This date if it is `weekday`, else the next one.
    public func nextOrSame(_ weekday: Weekday) -> LocalDate {
        var date = self
        while date.weekday != weekday { date = date.adding(days: 1) }
        return date
    }

    /// This date if it is `weekday`, else the previous one.
    public func previousOrSame(_ weekday: Weekday) -> LocalDate {
        var date = self
        while date.weekday != weekday { date = date.adding(days: -1) }
        return date
    }

    /// The corresponding date `months` later, clamped to the month's end
    /// (31 January + 1 month = 28 or 29 February).
    public func adding(months: Int) -> LocalDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return LocalDate(year: y, month: m, day: Swift.min(day, LocalDate.daysIn(month: m, year: y)))!
    }
}
