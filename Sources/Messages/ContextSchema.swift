/// The names a message's templates may use, read by reflection from a
/// sample of the context type (stored properties only, as Mustache sees
/// them).
indirect enum ContextSchema: Sendable {
    /// A value: text, number, flag, or an optional that may be absent.
    case value
    /// A struct: its properties by name.
    case object([String: ContextSchema])
    /// A list whose elements look like this.
    case list(ContextSchema)

    init(reflecting value: Any) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct, .class:
            var fields: [String: ContextSchema] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                fields[label] = ContextSchema(reflecting: child.value)
            }
            self = .object(fields)
        case .optional:
            self = mirror.children.first.map { ContextSchema(reflecting: $0.value) } ?? .value
        case .collection:
            self = .list(mirror.children.first.map { ContextSchema(reflecting: $0.value) } ?? .value)
        default:
            self = .value
        }
    }

    /// What a dotted name (`service.phone`) refers to from here, if anything.
    func resolve(_ path: [Substring]) -> ContextSchema? {
        guard let head = path.first else { return self }
        guard case .object(let fields) = self, let next = fields[String(head)] else { return nil }
        return next.resolve(Array(path.dropFirst()))
    }

    /// The context inside `{{#name}}`: a list's element, an object itself,
    /// or (for a flag or an optional value) the same context as outside.
    var sectionContext: ContextSchema? {
        switch self {
        case .list(let element): element
        case .object: self
        case .value: nil
        }
    }

    var names: [String] {
        guard case .object(let fields) = self else { return [] }
        return fields.keys.sorted()
    }
}
