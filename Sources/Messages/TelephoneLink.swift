import Foundation

/// A phone number as a `tel:` URI (RFC 3966): digits only, in international
/// form, since spaces are not allowed and a UK number written "0161 496 0999"
/// is dialled from a phone anywhere as +44 161 496 0999.
enum TelephoneLink {
    /// `tel:+441614960999` for "0161 496 0999", "+44 (0)161 496 0999" or
    /// "+44 161 496 0999"; `nil` when there are no digits to dial.
    static func uri(_ phone: String) -> String? {
        var text = phone
        // "+44 (0)161…": the trunk zero in brackets is not dialled from abroad.
        if let range = text.range(of: "(0)") { text.removeSubrange(range) }
        let lead = text.drop { $0 == " " || $0 == "\t" }
        var digits = text.filter(\.isASCII).filter(\.isNumber)
        guard !digits.isEmpty else { return nil }
        if lead.hasPrefix("00") {
            digits.removeFirst(2)
        } else if !lead.hasPrefix("+") {
            // A short or local number, without the trunk zero, is dialled as written.
            guard digits.hasPrefix("0") else { return "tel:" + digits }
            digits = "44" + digits.dropFirst()
        }
        return "tel:+" + digits
    }
}
