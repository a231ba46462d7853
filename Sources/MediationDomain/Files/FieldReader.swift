/// Reads one record's fields out of decoded JSON, collecting an error with
/// the field's path for everything missing, mistyped, too long or invalid,
/// so one pass reports every problem in the record.
struct FieldReader {
    let file: String
    let record: Int
    var reference: String?
    private(set) var errors: [BookingError] = []

    init(file: String, record: Int) {
        self.file = file
        self.record = record
    }

    mutating func fail(_ field: String, _ message: String) {
        errors.append(BookingError(file: file, record: record, reference: reference, field: field, message: message))
    }

    private static func field(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A string, trimmed; `nil` (with an error if `required`) when absent or
    /// empty. Longer than `maxLength` characters, or holding control or
    /// text-direction characters, is an error.
    mutating func string(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool = true,
                         maxLength: Int = BookingLimits.textLength) -> String? {
        let field = Self.field(path, key)
        switch object[key] {
        case nil, .null?:
            if required { fail(field, "is required") }
            return nil
        case .string(let text)?:
            if text.utf8.count > maxLength * 4 || text.count > maxLength {
                fail(field, "is too long: at most \(maxLength) characters")
                return nil
            }
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                fail(field, "contains control characters")
                return nil
            }
            if text.unicodeScalars.contains(where: Self.isDirectionControl) {
                fail(field, "contains text-direction control characters (U+202A–U+202E, U+2066–U+2069)")
                return nil
            }
            let trimmed = text.trimmingWhitespace
            if trimmed.isEmpty {
                if required { fail(field, "is empty") }
                return nil
            }
            return trimmed
        case let other?:
            fail(field, "must be text, not \(other.typeName)")
            return nil
        }
    }

    /// Embeddings, overrides and isolates reorder what a reader sees.
    static func isDirectionControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    mutating func int(_ object: [String: JSONValue], _ key: String, at path: String) -> Int? {
        let field = Self.field(path, key)
        switch object[key] {
        case nil, .null?:
            fail(field, "is required")
            return nil
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15:
            return Int(number)
        default:
            fail(field, "must be a whole number")
            return nil
        }
    }

    mutating func bool(_ object: [String: JSONValue], _ key: String, at path: String, default value: Bool) -> Bool {
        switch object[key] {
        case nil, .null?: return value
        case .bool(let flag)?: return flag
        default:
            fail(Self.field(path, key), "must be true or false")
            return value
        }
    }

    mutating func date(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool) -> LocalDate? {
        guard let text = string(object, key, at: path, required: required) else { return nil }
        guard let date = LocalDate(iso: text) else {
            fail(Self.field(path, key), "\(QuotedValue.of(text)) is not a real date in the form YYYY-MM-DD")
            return nil
        }
        return date
    }

    mutating func object(_ object: [String: JSONValue], _ key: String, at path: String) -> [String: JSONValue]? {
        guard let value = object[key], value != .null else {
            fail(Self.field(path, key), "is required")
            return nil
        }
        guard case .object(let inner) = value else {
            fail(Self.field(path, key), "must be an object")
            return nil
        }
        return inner
    }

    /// A list of at most `maxCount` items.
    mutating func array(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool,
                        maxCount: Int) -> [JSONValue]? {
        guard let value = object[key], value != .null else {
            if required { fail(Self.field(path, key), "is required") }
            return nil
        }
        guard case .array(let items) = value else {
            fail(Self.field(path, key), "must be a list")
            return nil
        }
        guard items.count <= maxCount else {
            fail(Self.field(path, key), "has \(items.count) entries; at most \(maxCount) are allowed")
            return nil
        }
        return items
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ object: [String: JSONValue], _ key: String, at path: String, as type: E.Type, default value: E? = nil
    ) -> E? where E.RawValue == String {
        if value != nil, object[key] == nil || object[key] == .null { return value }
        guard let text = string(object, key, at: path) else { return nil }
        guard let parsed = E(rawValue: text) else {
            fail(Self.field(path, key), "\(QuotedValue.of(text)) is not one of \(E.allCases.map { $0.rawValue }.joined(separator: ", "))")
            return nil
        }
        return parsed
    }
}

extension String {
    /// Without leading and trailing whitespace; most text has none, so it
    /// is returned as it is.
    var trimmingWhitespace: String {
        guard let first = first, let last = last, first.isWhitespace || last.isWhitespace else { return self }
        return String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
