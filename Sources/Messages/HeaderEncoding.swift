import Foundation

/// RFC 5322 / RFC 2047 header text: nothing a value holds can end the header
/// or start another, and non-ASCII text travels as encoded words.
enum HeaderEncoding {
    /// Folds line breaks and other control characters into spaces, so a CR or
    /// LF in any value can never inject a header.
    static func sanitized(_ value: String) -> String {
        // Printable ASCII, the usual case, needs no look-up of Unicode categories.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
    }

    /// An unstructured header value (Subject): plain when it is printable
    /// ASCII, otherwise RFC 2047 `=?UTF-8?B?…?=` words, folded to fit.
    static func unstructured(_ value: String) -> String {
        let clean = sanitized(value)
        if clean.utf8.allSatisfy({ $0 < 0x80 }) && !clean.contains("=?") { return clean }
        return encodedWords(clean)
    }

    /// A mailbox `Name <address>`; the name quoted or encoded as needed.
    static func mailbox(name: String?, address: String) -> String {
        var address = sanitized(address)
        address.removeAll { $0 == " " }
        guard let name, !name.isEmpty else { return "<\(address)>" }
        let clean = sanitized(name)
        if clean.utf8.allSatisfy({ $0 < 0x80 }) && !clean.contains("=?") {
            return "\"\(quotedPairs(clean))\" <\(address)>"
        }
        return "\(encodedWords(clean)) <\(address)>"
    }

    /// A backslash before each backslash and double quote (RFC 5322's
    /// quoted-pair), so the name cannot close its quotes.
    private static func quotedPairs(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else { return name }
        var quoted = ""
        for character in name {
            if character == "\\" || character == "\"" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted
    }

    /// Splits on character boundaries so no UTF-8 sequence is cut; each word
    /// stays within RFC 2047's 75 characters. Linear in the text: each
    /// character's bytes are counted once, never the whole chunk again.
    private static func encodedWords(_ text: String) -> String {
        // 45 bytes are 60 base64 characters: with "=?UTF-8?B?" and "?=", 72.
        let limit = 45
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(character.utf8)
            if chunk.count + bytes.count > limit && !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }
}
