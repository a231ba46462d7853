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
        let international = text.trimmingPrefixWhitespace.hasPrefix("+") || text.trimmingPrefixWhitespace.hasPrefix("00")
        var digits = text.filter(\.isASCII).filter(\.isNumber)
        guard !digits.isEmpty else { return nil }
        if international {
            if text.trimmingPrefixWhitespace.hasPrefix("00") { digits.removeFirst(2) }
        } else if digits.hasPrefix("0") {
            digits = "44" + digits.dropFirst()
        } else {
            // A short or local number: dialled as written.
            return "tel:" + digits
        }
        return "tel:+" + digits
    }
}

private extension String {
    var trimmingPrefixWhitespace: Substring { drop { $0 == " " || $0 == "\t" } }
}
