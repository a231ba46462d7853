import Foundation

/// A phone number as people write it in a booking (`0161 496 0000`,
/// `+44 (0)161 496 0000`), and the same number as a `tel:` link in
/// international form (`tel:+441614960000`, RFC 3966), since spaces are not
/// valid in a link and phones dial `+44` from anywhere.
public struct PhoneNumber: Sendable, Hashable {
    /// As written, for people to read.
    public let written: String
    /// `+` and digits only.
    public let international: String

    /// Reads a number with 7 to 15 digits; `nil` for anything else.
    /// - Parameter country: the calling code numbers starting with a single 0 belong to.
    public init?(_ text: String, country: String = "44") {
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || " +()-".contains($0)) }) else { return nil }
        var digits = text.filter(\.isNumber)
        let plus = text.drop(while: { $0 == " " }).first == "+"
        // "+44 (0)161…": the trunk 0 in brackets is not dialled internationally.
        if plus, text.contains("(0)"), let zero = text.range(of: "(0)") {
            digits = (text[..<zero.lowerBound] + text[zero.upperBound...]).filter(\.isNumber)
        }
        guard (7...15).contains(digits.count) else { return nil }
        written = text
        if plus {
            international = "+" + digits
        } else if digits.hasPrefix("00") {
            international = "+" + digits.dropFirst(2)
        } else if digits.hasPrefix("0") {
            international = "+" + country + digits.dropFirst()
        } else {
            international = "+" + digits
        }
    }

    /// `tel:+441614960000`
    public var telURI: String { "tel:" + international }
}
