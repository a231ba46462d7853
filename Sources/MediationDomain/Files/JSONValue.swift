/// A JSON value as ``StrictJSON`` reads it, keeping `true` and `1` apart so
/// a field's type is checked exactly and the error can say what was wrong.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A short, value-free description of the type, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .number: "a number"
        case .string: "text"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
