public import Foundation

/// One MIME entity read from bytes (RFC 2045/2046): its header fields, its
/// body decoded from base64 or quoted-printable, and its parts when it is
/// multipart or an enclosed message. Lenient, as mail from many servers
/// must be read: bare LF line ends, missing final boundaries, stray spaces.
public struct MIMEEntity: Sendable {
    /// Header fields in order, names in lower case, folded lines joined.
    public let fields: [(name: String, value: String)]
    /// The body as received (still transfer-encoded).
    public let rawBody: [UInt8]

    /// Deeper than this, enclosed parts are not read (a bounce is 2–3 deep).
    static let maximumDepth = 8

    /// Reads `bytes` as one entity.
    public init(_ bytes: some Collection<UInt8>) {
        let all = Array(bytes)
        let split = Self.headerEnd(all)
        fields = Self.parseFields(Array(all[..<split.header]))
        rawBody = Array(all[split.body...])
    }

    /// The first value of `name` (any case), trimmed.
    public func field(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name == wanted }?.value
    }

    /// Every value of `name`.
    public func fields(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name == wanted }.map(\.value)
    }

    /// `type/subtype` in lower case; `text/plain` when unstated.
    public var contentType: String {
        guard let value = field("content-type") else { return "text/plain" }
        return value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "text/plain"
    }

    /// A parameter of Content-Type (`boundary`, `report-type`), unquoted.
    public func contentTypeParameter(_ name: String) -> String? {
        guard let value = field("content-type") else { return nil }
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// The body with its transfer encoding undone.
    public var body: [UInt8] {
        switch field("content-transfer-encoding")?.lowercased() {
        case "base64":
            let text = String(decoding: rawBody, as: UTF8.self).filter { !$0.isWhitespace }
            return Data(base64Encoded: text, options: .ignoreUnknownCharacters).map { Array($0) } ?? rawBody
        case "quoted-printable":
            return Self.decodeQuotedPrintable(rawBody)
        default:
            return rawBody
        }
    }

    /// The body as text (UTF-8, or Latin-1 when it is not UTF-8).
    public var text: String {
        let bytes = body
        return String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// The parts of a multipart entity, or the one message a
    /// `message/rfc822` (or `text/rfc822-headers`) entity encloses.
    public func parts(depth: Int = 0) -> [MIMEEntity] {
        guard depth < Self.maximumDepth else { return [] }
        let type = contentType
        if type == "message/rfc822" || type == "text/rfc822-headers" || type == "message/global" {
            return [MIMEEntity(body)]
        }
        guard type.hasPrefix("multipart/"), let boundary = contentTypeParameter("boundary"), !boundary.isEmpty else { return [] }
        return Self.split(rawBody, boundary: Array("--\(boundary)".utf8)).map(MIMEEntity.init)
    }

    /// This entity and every entity inside it, depth first.
    public func walk(depth: Int = 0) -> [MIMEEntity] {
        [self] + parts(depth: depth).flatMap { $0.walk(depth: depth + 1) }
    }

    // MARK: - Reading bytes

    /// Where the header ends and the body starts (after the blank line).
    private static func headerEnd(_ bytes: [UInt8]) -> (header: Int, body: Int) {
        var i = 0
        // A part with no header fields starts with its blank line.
        if bytes.starts(with: [13, 10]) { return (0, 2) }
        if bytes.first == 10 { return (0, 1) }
        while i < bytes.count {
            if bytes[i] == 10 {
                if i + 1 < bytes.count, bytes[i + 1] == 10 { return (i + 1, i + 2) }
                if i + 2 < bytes.count, bytes[i + 1] == 13, bytes[i + 2] == 10 { return (i + 1, i + 3) }
            }
            i += 1
        }
        return (bytes.count, bytes.count)
    }

    /// Header lines, unfolded; a line that is no field is dropped.
    static func parseFields(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if let first = line.first, first == " " || first == "\t" {
                if !fields.isEmpty { fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, !name.contains(" ") else { continue }
            fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return fields
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    private static func split(_ body: [UInt8], boundary: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start: Int?
        var lineStart = 0
        while lineStart < body.count {
            let newline = body[lineStart...].firstIndex(of: 10) ?? body.count
            let line = body[lineStart..<newline]
            if line.starts(with: boundary) {
                let after = line.dropFirst(boundary.count)
                if let start { parts.append(trimmingLineEnd(Array(body[start..<max(start, lineStart)]))) }
                if after.starts(with: [45, 45]) { return parts }
                start = newline + 1
            }
            lineStart = newline + 1
        }
        if let start, start < body.count { parts.append(Array(body[start...])) }
        return parts
    }

    /// The line break before a boundary belongs to the boundary.
    private static func trimmingLineEnd(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes[...]
        if bytes.last == 10 { bytes = bytes.dropLast() }
        if bytes.last == 13 { bytes = bytes.dropLast() }
        return Array(bytes)
    }

    private static func decodeQuotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 65...70: byte - 55
            case 97...102: byte - 87
            default: nil
            }
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 61 { // "="
                if i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                    continue
                }
                // A soft line break: "=" at the end of a line.
                if i + 1 < bytes.count, bytes[i + 1] == 10 { i += 2; continue }
                if i + 2 < bytes.count, bytes[i + 1] == 13, bytes[i + 2] == 10 { i += 3; continue }
            }
            out.append(byte)
            i += 1
        }
        return out
    }
}
