public import Foundation

/// Reads JSON (RFC 8259) strictly, for booking files written by other
/// systems: a key that appears twice in one object, nesting deeper than
/// `maxDepth`, invalid UTF-8, raw control characters in strings and lone
/// surrogate escapes are errors, each with the path of the value and its
/// line and column. Foundation's decoder keeps the first of two equal keys
/// where most parsers keep the last, so the two would read different
/// bookings from the same file.
public enum StrictJSON {
    /// One step into a document: an object's key or an array's position.
    public enum PathComponent: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// Where and why a document is not acceptable JSON.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The value being read when it failed, from the document's root.
        public var path: [PathComponent]
        public var line: Int
        public var column: Int
        public var message: String

        public var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Parses a whole document.
    /// - Parameter maxDepth: how many arrays and objects may nest.
    public static func parse(_ data: Data, maxDepth: Int = 16) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self), maxDepth: maxDepth)
            do throws(Failure) {
                return .success(try reader.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads a document record by record: each element of a top-level
    /// list is handed to `body` as soon as it is read and then dropped, so a
    /// file of 100,000 bookings never becomes one tree in memory; any other
    /// document is one record.
    public static func forEachRecord(_ data: Data, maxDepth: Int = 16, _ body: (Int, JSONValue) -> Void) throws(Failure) {
        let result: Result<Void, Failure> = data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self), maxDepth: maxDepth)
            do throws(Failure) {
                try reader.records(body)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var offset = 0
        var path: [PathComponent] = []

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
            // A UTF-8 byte order mark is tolerated, as editors on Windows write one.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
        }

        mutating func document() throws(Failure) -> JSONValue {
            skipSpace()
            let value = try self.value(depth: 0)
            skipSpace()
            guard offset == bytes.count else { throw fail("unexpected text after the JSON value") }
            return value
        }

        mutating func records(_ body: (Int, JSONValue) -> Void) throws(Failure) {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "[") else {
                body(0, try document())
                return
            }
            offset += 1
            var index = 0
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
            } else {
                while true {
                    skipSpace()
                    path.append(.index(index))
                    body(index, try value(depth: 1))
                    path.removeLast()
                    index += 1
                    skipSpace()
                    guard offset < bytes.count else { throw fail("the document ends inside a list") }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    if bytes[offset] == UInt8(ascii: "]") { offset += 1; break }
                    throw fail("expected ',' or ']' in a list")
                }
            }
            skipSpace()
            guard offset == bytes.count else { throw fail("unexpected text after the JSON value") }
        }

        func fail(_ message: String) -> Failure {
            var line = 1, column = 1, i = 0
            while i < min(offset, bytes.count) {
                if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            return Failure(path: path, line: line, column: column, message: message)
        }

        mutating func skipSpace() {
            while offset < bytes.count {
                switch bytes[offset] {
                case 0x20, 0x09, 0x0A, 0x0D: offset += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard offset < bytes.count else { throw fail("the document ends where a value was expected") }
            switch bytes[offset] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw fail("expected a value (text in quotes, a number, true, false, null, a list or an object)")
            }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let count = word.utf8CodeUnitCount
            guard offset + count <= bytes.count,
                  (0..<count).allSatisfy({ bytes[offset + $0] == word.utf8Start[$0] }) else {
                throw fail("expected a value (text in quotes, a number, true, false, null, a list or an object)")
            }
            offset += count
        }

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth else { throw fail("nested more than \(maxDepth) levels deep") }
            offset += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
            while true {
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                let key = try string()
                path.append(.key(key))
                if members[key] != nil { throw fail("the key appears twice in the same object") }
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw fail("expected ':' after the key") }
                offset += 1
                skipSpace()
                members[key] = try value(depth: depth)
                path.removeLast()
                skipSpace()
                guard offset < bytes.count else { throw fail("the document ends inside an object") }
                if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
                throw fail("expected ',' or '}' in an object")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            guard depth <= maxDepth else { throw fail("nested more than \(maxDepth) levels deep") }
            offset += 1
            var items: [JSONValue] = []
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(items) }
            while true {
                skipSpace()
                path.append(.index(items.count))
                items.append(try value(depth: depth))
                path.removeLast()
                skipSpace()
                guard offset < bytes.count else { throw fail("the document ends inside a list") }
                if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(items) }
                throw fail("expected ',' or ']' in a list")
            }
        }

        mutating func number() throws(Failure) -> Double {
            let start = offset
            func digits() -> Int {
                let from = offset
                while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
                return offset - from
            }
            if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            let whole = offset
            guard digits() > 0 else { throw fail("a number needs digits") }
            if bytes[whole] == UInt8(ascii: "0") && offset - whole > 1 { throw fail("a number may not start with 0") }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
                offset += 1
                guard digits() > 0 else { throw fail("a number needs digits after '.'") }
            }
            if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
                guard digits() > 0 else { throw fail("a number needs digits in its exponent") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            guard let number = Double(text), number.isFinite else { throw fail("the number is too large") }
            return number
        }

        mutating func string() throws(Failure) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            var runStart = offset
            func flushRun() throws(Failure) {
                guard runStart < offset else { return }
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<offset])
                guard let text = String(validating: run, as: UTF8.self) else { throw fail("the text is not valid UTF-8") }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while true {
                guard offset < bytes.count else { throw fail("the text is never closed with '\"'") }
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    try flushRun()
                    offset += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw fail("a control character must be written as an escape such as \\n") }
                if byte != UInt8(ascii: "\\") { offset += 1; continue }
                try flushRun()
                offset += 1
                guard offset < bytes.count else { throw fail("the text is never closed with '\"'") }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default: throw fail("unknown escape in text")
                }
                runStart = offset
            }
        }

        /// `\uXXXX`, with a surrogate pair as two escapes.
        mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
            let high = try hex4()
            if (0xD800...0xDBFF).contains(high) {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw fail("a lone surrogate escape is not a character")
                }
                offset += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate escape is not a character") }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else { throw fail("a lone surrogate escape is not a character") }
            return scalar
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw fail("\\u needs four hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("\\u needs four hex digits")
                }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return value
        }
    }
}
