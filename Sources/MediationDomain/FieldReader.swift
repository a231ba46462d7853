/// Reads one record's fields out of decoded JSON, collecting an error with
/// the field's path for everything missing, mistyped or invalid, so one pass
/// reports every problem in the record.
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

    mutating func string(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool = true) -> String? {
        let field = path.isEmpty ? key : "\(path).\(key)"
        switch object[key] {
        case nil, .null?:
            if required { fail(field, "is required") }
            return nil
        case .string(let text)?:
            if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                fail(field, "contains control characters")
                return nil
            }
            let trimmed = text.trimmingWhitespace
            if trimmed.isEmpty {
                if required { fail(field, "is empty") }
                return nil
            }
            return trimmed
        default:
            fail(field, "must be a string")
            return nil
        }
    }

    mutating func int(_ object: [String: JSONValue], _ key: String, at path: String) -> Int? {
        let field = path.isEmpty ? key : "\(path).\(key)"
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
            fail(path.isEmpty ? key : "\(path).\(key)", "must be true or false")
            return value
        }
    }

    mutating func date(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool) -> LocalDate? {
        guard let text = string(object, key, at: path, required: required) else { return nil }
        guard let date = LocalDate(iso: text) else {
            fail(path.isEmpty ? key : "\(path).\(key)", "'\(text)' is not a real date in the form YYYY-MM-DD")
            return nil
        }
        return date
    }

    mutating func object(_ object: [String: JSONValue], _ key: String, at path: String) -> [String: JSONValue]? {
        guard let value = object[key], value != .null else {
            fail(path.isEmpty ? key : "\(path).\(key)", "is required")
            return nil
        }
        guard case .object(let inner) = value else {
            fail(path.isEmpty ? key : "\(path).\(key)", "must be an object")
            return nil
        }
        return inner
    }

    mutating func array(_ object: [String: JSONValue], _ key: String, at path: String, required: Bool) -> [JSONValue]? {
        guard let value = object[key], value != .null else {
            if required { fail(path.isEmpty ? key : "\(path).\(key)", "is required") }
            return nil
        }
        guard case .array(let items) = value else {
            fail(path.isEmpty ? key : "\(path).\(key)", "must be a list")
            return nil
        }
        return items
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ object: [String: JSONValue], _ key: String, at path: String, as type: E.Type, default value: E? = nil
    ) -> E? where E.RawValue == String {
        let field = path.isEmpty ? key : "\(path).\(key)"
        if value != nil, object[key] == nil || object[key] == .null { return value }
        guard let text = string(object, key, at: path) else { return nil }
        guard let parsed = E(rawValue: text) else {
            fail(field, "'\(text)' is not one of \(E.allCases.map { $0.rawValue }.joined(separator: ", "))")
            return nil
        }
        return parsed
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
