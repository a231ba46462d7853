public import Foundation
public import MediationDomain

/// Dates and times as a reader of the email reads them: in the meeting's own
/// zone, day-named, in GOV.UK style ("Tuesday 23 March 2027", "10am",
/// "2:30pm", "midday", "10am to 12pm"), in English or Welsh. Written out by
/// hand rather than by a `DateFormatter`: the style is GOV.UK's, not the
/// locale's, and a formatter per email was most of the cost of rendering one.
public struct LocalTimeFormatter: Sendable {
    /// The zone times are shown in.
    public let zoneID: String
    /// `en` or `cy`.
    public let language: String

    /// - Parameter language: `en` (British English) or `cy` (Welsh); any
    ///   other is written in English.
    public init(zoneID: String, language: String = "en") {
        self.zoneID = zoneID
        self.language = language == "cy" ? "cy" : "en"
    }

    private var welsh: Bool { language == "cy" }

    /// "Tuesday 23 March 2027"; "Dydd Mawrth 23 Mawrth 2027".
    public func day(_ date: Date) -> String { day(LocalDate(date, zoneID: zoneID)) }

    /// A calendar day written the same way.
    public func day(_ date: LocalDate) -> String { "\(weekday(date.weekday)) \(date.day) \(monthName(date.month)) \(date.year)" }

    /// "Tuesday 23 March", for subjects, where the year is clear.
    public func dayWithoutYear(_ date: Date) -> String {
        let local = LocalDate(date, zoneID: zoneID)
        return "\(weekday(local.weekday)) \(local.day) \(monthName(local.month))"
    }

    /// "Tuesday"; "Dydd Mawrth".
    public func weekdayName(_ date: Date) -> String { weekday(LocalDate(date, zoneID: zoneID).weekday) }

    /// "10am", "2:30pm", "midday", "midnight"; "10yb", "2:30yp", "canol dydd", "hanner nos".
    public func time(_ date: Date) -> String { time(LocalDateTime(date, zoneID: zoneID).time) }

    /// A wall-clock time written the same way.
    public func time(_ time: LocalTime) -> String {
        switch (time.hour, time.minute) {
        case (12, 0): return welsh ? "canol dydd" : "midday"
        case (0, 0): return welsh ? "hanner nos" : "midnight"
        default:
            let hour = time.hour % 12 == 0 ? 12 : time.hour % 12
            let minutes = time.minute == 0 ? "" : ":" + (time.minute < 10 ? "0" : "") + "\(time.minute)"
            let suffix = time.hour < 12 ? (welsh ? "yb" : "am") : (welsh ? "yp" : "pm")
            return "\(hour)\(minutes)\(suffix)"
        }
    }

    /// "10am to 12pm"; "10yb i 12yp". Noon as an end is "12pm", as GOV.UK writes a range.
    public func timeRange(_ start: Date, _ end: Date) -> String {
        let endTime = LocalDateTime(end, zoneID: zoneID).time
        let last = endTime.hour == 12 && endTime.minute == 0 ? (welsh ? "12yp" : "12pm") : time(endTime)
        return "\(time(start)) \(welsh ? "i" : "to") \(last)"
    }

    /// A day phrase as written after "on": the same in English; in Welsh,
    /// "ar" softens "Dydd" to "ddydd" ("ar ddydd Mawrth 23 Mawrth").
    public func afterOn(_ phrase: String) -> String {
        guard welsh, phrase.hasPrefix("Dydd ") else { return phrase }
        return "ddydd " + phrase.dropFirst("Dydd ".count)
    }

    /// "Tuesday 23 March 2027, 10am"
    public func dayAndTime(_ date: Date) -> String { "\(day(date)), \(time(date))" }

    /// "Tuesday 23 March 2027, 10am to 12pm"
    public func dayAndTimeRange(_ start: Date, _ end: Date) -> String { "\(day(start)), \(timeRange(start, end))" }

    /// "10:00": 24-hour clock, for staff listings.
    public func clock(_ date: Date) -> String { LocalDateTime(date, zoneID: zoneID).time.description }

    /// "2 hours", "1 hour 30 minutes", "45 minutes"; "2 awr", "1 awr 30 munud", "45 munud".
    public func duration(minutes: Int) -> String { Self.duration(minutes: minutes, language: language) }

    /// A duration in `language`.
    public static func duration(minutes: Int, language: String = "en") -> String {
        let hours = minutes / 60, rest = minutes % 60
        var parts: [String] = []
        if language == "cy" {
            if hours > 0 { parts.append("\(hours) awr") }
            if rest > 0 { parts.append("\(rest) munud") }
        } else {
            if hours > 0 { parts.append(hours == 1 ? "1 hour" : "\(hours) hours") }
            if rest > 0 { parts.append(rest == 1 ? "1 minute" : "\(rest) minutes") }
        }
        return parts.joined(separator: " ")
    }

    private func weekday(_ day: Weekday) -> String {
        switch day {
        case .mon: welsh ? "Dydd Llun" : "Monday"
        case .tue: welsh ? "Dydd Mawrth" : "Tuesday"
        case .wed: welsh ? "Dydd Mercher" : "Wednesday"
        case .thu: welsh ? "Dydd Iau" : "Thursday"
        case .fri: welsh ? "Dydd Gwener" : "Friday"
        case .sat: welsh ? "Dydd Sadwrn" : "Saturday"
        case .sun: welsh ? "Dydd Sul" : "Sunday"
        }
    }

    private func monthName(_ month: Int) -> String {
        let english = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                       "November", "December"]
        let cymraeg = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
                       "Tachwedd", "Rhagfyr"]
        return (welsh ? cymraeg : english)[month - 1]
    }
}
