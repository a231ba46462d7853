public import Foundation

/// Instants written for machines: email `Date:` headers and iCalendar
/// stamps. Done by hand from the civil date because an ICU `DateFormatter`
/// per email was a quarter of dispatch's cost, and these formats never
/// change with the reader's language.
public enum InstantText {
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue, 23 Mar 2027 10:00:00 +0000` (RFC 5322 §3.3, in UTC).
    public static func rfc5322(_ instant: Date) -> String {
        let (date, seconds) = civil(instant, zoneID: "UTC")
        return weekdays[Weekday.allCases.firstIndex(of: date.weekday) ?? 0] + ", " + Padded.digits(date.day, 2) + " " + months[date.month - 1] + " "
            + String(date.year) + " " + clock(seconds, separator: ":") + " +0000"
    }

    /// `20270323T100000`: an iCalendar DATE-TIME (RFC 5545 §3.3.5) as the
    /// wall clock in `zoneID` shows it; append `Z` for UTC.
    public static func icalendar(_ instant: Date, zoneID: String) -> String {
        let (date, seconds) = civil(instant, zoneID: zoneID)
        return String(date.year) + Padded.digits(date.month, 2) + Padded.digits(date.day, 2) + "T" + clock(seconds, separator: "")
    }

    /// The local date and the seconds into that day.
    private static func civil(_ instant: Date, zoneID: String) -> (LocalDate, Int) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + Zones.offset(zoneID, at: instant)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (LocalDate(daysSinceEpoch: days), seconds - days * 86_400)
    }

    private static func clock(_ seconds: Int, separator: String) -> String {
        Padded.digits(seconds / 3600, 2) + separator + Padded.digits(seconds / 60 % 60, 2) + separator + Padded.digits(seconds % 60, 2)
    }
}
