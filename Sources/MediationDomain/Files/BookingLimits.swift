/// How large a booking may be. Every limit is checked at validation, before
/// anything is stored or planned, so no booking can make later work (call
/// planning, rendering, sending) grow without bound.
public enum BookingLimits {
    /// A case reference: letters, digits and `-`, `_`, `.`, `/`.
    public static let referenceLength = 40
    /// A party's name, as printed in a greeting.
    public static let nameLength = 100
    /// The venue, one line of an address.
    public static let venueLength = 200
    /// The online meeting link.
    public static let urlLength = 500
    /// A phone number as written by people: digits, spaces and `+ ( ) -`.
    public static let phoneLength = 32
    /// Any other text field (status, kind, time zone, dates).
    public static let textLength = 64
    /// Parties in one booking.
    public static let parties = 20
    /// Weekly unavailable times one party may give.
    public static let unavailablePerParty = 14
    /// Grounds one booking may name.
    public static let grounds = 8
    /// How deeply a JSON booking file may nest (a file of bookings is 6 deep).
    public static let jsonDepth = 10
    /// Errors listed for one file; the rest are counted.
    public static let errorsListed = 50
}

/// Text from a booking file as an error message may quote it: at most 60
/// characters, with control, format and direction characters shown as
/// `\u{…}` so what staff read is what the file holds.
public enum QuotedValue {
    /// `text`, shortened and made visible, in single quotes.
    public static func of(_ text: String, limit: Int = 60) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { return "'\(out)…' (\(text.unicodeScalars.count) characters)" }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return "'\(out)'"
    }
}
