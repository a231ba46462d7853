import Foundation

/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: readable when the
/// text is ASCII, safe for any relay, lines at most 76 characters.
enum QuotedPrintable {
    private static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var width = 0, i = 0
        while i < bytes.count {
            let byte = bytes[i]
            // CRLF and LF both end a line, written as CRLF.
            if byte == 10 || (byte == 13 && i + 1 < bytes.count && bytes[i + 1] == 10) {
                out += [13, 10]
                width = 0
                i += byte == 13 ? 2 : 1
                continue
            }
            let endsLine = i + 1 == bytes.count || bytes[i + 1] == 10 || (bytes[i + 1] == 13 && i + 2 < bytes.count && bytes[i + 2] == 10)
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !endsLine)
            let size = literal ? 1 : 3
            if width + size > 75 {
                out += [61, 13, 10] // soft line break
                width = 0
            }
            if literal {
                out.append(byte)
            } else {
                out += [61, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
            width += size
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
