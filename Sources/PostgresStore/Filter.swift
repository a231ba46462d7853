import PostgresNIO

/// A WHERE clause built from optional parts, each `?` bound to a value.
struct Filter {
    private var parts: [String] = []
    private var binds = PostgresBindings()

    /// Adds `sql`, its `?`s bound to `values` in order.
    mutating func add(_ sql: String, _ values: any PostgresNonThrowingEncodable...) {
        var text = "", remaining = values[...]
        for character in sql {
            guard character == "?", let value = remaining.popFirst() else { text.append(character); continue }
            binds.append(value)
            text += "$\(binds.count)"
        }
        parts.append(text)
    }

    func query(_ head: String, then tail: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: head + (parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")) + " " + tail, binds: binds)
    }
}
