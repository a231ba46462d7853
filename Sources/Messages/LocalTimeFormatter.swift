import Foundation
import MediationDomain

/// Family-facing dates and times: day-named, in the meeting's own zone
/// ("Tuesday 23 March 2027", "10:00").
public struct LocalTimeFormatter: Sendable {
    public let zone: TimeZone
    /// The locale day and month names are written in.
    public let locale: Locale

    /// - Parameter language: `en` (British English) or another language code
    ///   such as `cy` (Welsh).
    public init(zoneID: String, language: String = "en") {
        zone = TimeZone(identifier: zoneID) ?? TimeZone(identifier: "Europe/London")!
        locale = Locale(identifier: language == "en" ? "en_GB" : "\(language)_GB")
    }

    /// The date in this zone by a `DateFormatter` pattern.
    public func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// "Tuesday 23 March 2027"
    public func day(_ date: Date) -> String { format(date, "EEEE d MMMM yyyy") }
    /// A calendar day written the same way (read at its noon in this zone).
    public func day(_ date: LocalDate) -> String {
        let noon = LocalDateTime(date: date, time: LocalTime(hour: 12, minute: 0)!).earliestInstant(in: zone.identifier)
        return noon.map(day) ?? date.description
    }
    /// "10:00"
    public func time(_ date: Date) -> String { format(date, "HH:mm") }
    /// "2027-03-30T09:00:00+01:00": ISO 8601 with the UTC offset written out.
    public func iso(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm:ssxxx") }
    /// "Tuesday 23 March 2027, 10:00"
    public func dayAndTime(_ date: Date) -> String { "\(day(date)), \(time(date))" }

    /// "2 hours", "1 hour 30 minutes", "45 minutes"; in Welsh (`cy`)
    /// "2 awr", "1 awr 30 munud", "45 munud".
    public static func duration(minutes: Int, language: String = "en") -> String {
        let hours = minutes / 60, rest = minutes % 60
        var parts: [String] = []
        if language == "cy" {
            if hours > 0 { parts.append("\(hours) awr") }
            if rest > 0 { parts.append("\(rest) munud") }
        } else {
            if hours > 0 { parts.append(hours == 1 ? "1 hour" : "\(hours) hours") }
            if rest > 0 { parts.append("\(rest) minutes") }
        }
        return parts.joined(separator: " ")
    }
}
