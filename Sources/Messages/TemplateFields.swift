import Mustache

/// A context's stored properties read once by reflection, for Mustache to
/// look up by name. Left to itself Mustache reflects the whole context
/// again for every `{{name}}`, which was a sixth of dispatch's cost; this
/// reads each struct once per email and keeps the same meaning: an absent
/// optional is missing, arrays stay sections, leaves stay as they are.
struct TemplateFields: MustacheParent {
    private let fields: [String: Any]

    init(_ context: Any) {
        var fields: [String: Any] = [:]
        for child in Mirror(reflecting: context).children {
            guard let label = child.label, let value = Self.value(child.value) else { continue }
            fields[label] = value
        }
        self.fields = fields
    }

    func child(named name: String) -> Any? { fields[name] }

    /// What Mustache should see for one property: `nil` for an absent
    /// optional, nested structs as fields, arrays element by element.
    private static func value(_ value: Any) -> Any? {
        // Most leaves are text, flags and numbers: a cast is far cheaper
        // than a Mirror (a present optional casts to its value too).
        switch value {
        case let text as String: return text
        case let flag as Bool: return flag
        case let number as Int: return number
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { Self.value($0.value) }
        case .struct, .class: return mirror.children.isEmpty ? value : TemplateFields(value)
        case .collection: return mirror.children.compactMap { Self.value($0.value) }
        default: return value
        }
    }
}
