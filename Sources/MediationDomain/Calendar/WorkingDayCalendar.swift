import Synchronization

/// Bank holidays and working days for one division, computed from the rules
/// (DOMAIN.md, "Working days and bank holidays") plus one-off changes.
///
/// A working day is any day but Saturday, Sunday and a bank holiday.
/// Christmas Day and Good Friday are bank holidays in every division here.
public struct WorkingDayCalendar: Sendable {
    /// The division whose bank holidays are skipped.
    public let division: Division
    /// The one-off changes that apply to this division.
    public let changes: [HolidayChange]
    /// Each year's holidays, computed once: planning asks about the same
    /// few weeks over and over.
    private let cache = HolidayCache()

    /// The calendar of `division` with these one-off changes.
    public init(division: Division = .englandAndWales, changes: [HolidayChange] = []) {
        self.division = division
        self.changes = changes.filter { $0.divisions.contains(division) }
    }

    /// The year's bank holidays in date order.
    public func holidays(in year: Int) -> [BankHoliday] {
        var placed: [LocalDate: String] = [:]
        func day(_ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }
        // Moveable days first: they always fall on weekdays.
        let easter = Self.easterSunday(year)
        placed[easter.adding(days: -2)] = "Good Friday"
        if division != .scotland { placed[easter.adding(days: 1)] = "Easter Monday" }
        placed[day(5, 1).nextOrSame(.mon)] = "Early May bank holiday"
        placed[day(5, 31).previousOrSame(.mon)] = "Spring bank holiday"
        if division == .scotland {
            placed[day(8, 1).nextOrSame(.mon)] = "Summer bank holiday"
        } else {
            placed[day(8, 31).previousOrSame(.mon)] = "Summer bank holiday"
        }
        // One-off moves and extras belong to the year they are dated in.
        for change in changes where change.date.year == year || change.moves?.year == year {
            if let moved = change.moves { placed[moved] = nil }
            if change.date.year == year { placed[change.date] = change.name }
        }
        // Fixed dates: those on weekdays are placed; those on a weekend then
        // move, in date order, to the next weekday not already a holiday.
        var fixed: [(LocalDate, String)] = [(day(1, 1), "New Year’s Day")]
        if division == .scotland { fixed.append((day(1, 2), "2nd January")) }
        if division == .northernIreland {
            fixed.append((day(3, 17), "St Patrick’s Day"))
            fixed.append((day(7, 12), "Battle of the Boyne (Orangemen’s Day)"))
        }
        if division == .scotland { fixed.append((day(11, 30), "St Andrew’s Day")) }
        fixed += [(day(12, 25), "Christmas Day"), (day(12, 26), "Boxing Day")]
        for (date, name) in fixed where !date.isWeekend { placed[date] = name }
        for (date, name) in fixed where date.isWeekend {
            var substitute = date
            while substitute.isWeekend || placed[substitute] != nil { substitute = substitute.adding(days: 1) }
            placed[substitute] = name
        }
        return placed.filter { $0.key.year == year }.map { BankHoliday(date: $0.key, name: $0.value) }.sorted { $0.date < $1.date }
    }

    /// Whether `date` is a working day: not a weekend, not a bank holiday.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        !date.isWeekend && !cache.days(in: date.year, computing: { Set(holidays(in: $0).map(\.date)) }).contains(date)
    }

    /// The date `count` working days after `date` (before it, if negative).
    public func adding(workingDays count: Int, to date: LocalDate) -> LocalDate {
        var day = date
        var left = abs(count)
        let step = count >= 0 ? 1 : -1
        while left > 0 {
            day = day.adding(days: step)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous algorithm,
    /// as in Meeus, "Astronomical Algorithms").
    public static func easterSunday(_ year: Int) -> LocalDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(year: year, month: month, day: day)!
    }
}

/// The holiday dates of the years asked about so far.
private final class HolidayCache: Sendable {
    private let years = Mutex<[Int: Set<LocalDate>]>([:])

    func days(in year: Int, computing: (Int) -> Set<LocalDate>) -> Set<LocalDate> {
        if let known = years.withLock({ $0[year] }) { return known }
        let days = computing(year)
        years.withLock { $0[year] = days }
        return days
    }
}
