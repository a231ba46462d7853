import Foundation

/// A value written in booking files and the store as ISO 8601 text; its
/// `Codable` form is that text.
public protocol ISOText: Codable, CustomStringConvertible {
    /// Parses the text form; `nil` when it is malformed or names no real value.
    init?(iso text: String)
}

extension ISOText {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a valid \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A calendar date with no zone, as written in booking files (`2027-03-23`).
public struct LocalDate: Sendable, Hashable, Comparable, ISOText {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date, or `nil` when it does not exist (30 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; `nil` for any other shape or an impossible date.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String { "\(Padded.digits(year, 4))-\(Padded.digits(month, 2))-\(Padded.digits(day, 2))" }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A time of day with no zone, `HH:MM`.
public struct LocalTime: Sendable, Hashable, Comparable, ISOText {
    public var hour: Int
    public var minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM`.
    public init?(iso text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(hour: h, minute: m)
    }

    public var minutesIntoDay: Int { hour * 60 + minute }
    public var description: String { "\(Padded.digits(hour, 2)):\(Padded.digits(minute, 2))" }
    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutesIntoDay < b.minutesIntoDay }

}

/// A wall-clock date and time with no zone, `YYYY-MM-DDTHH:MM`.
public struct LocalDateTime: Sendable, Hashable, ISOText {
    public var date: LocalDate
    public var time: LocalTime

    public init(date: LocalDate, time: LocalTime) {
        self.date = date
        self.time = time
    }

    /// Parses `YYYY-MM-DDTHH:MM` (seconds `:00` are accepted).
    public init?(iso text: String) {
        var text = Substring(text)
        if text.count == 19, text.hasSuffix(":00") { text = text.dropLast(3) }
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let date = LocalDate(iso: String(parts[0])),
              let time = LocalTime(iso: String(parts[1])) else { return nil }
        self.init(date: date, time: time)
    }

    public var description: String { "\(date)T\(time)" }
}

/// Zero-padded numbers, without `String(format:)` (which goes through
/// Foundation's formatting and was a tenth of planning's cost).
enum Padded {
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
