import MediationDomain
import TOMLKit

/// One table of a `[[name]]` list in the config, with errors that name the
/// list, the entry and the key (`reminders[1].before`).
struct ListEntry {
    let file: String
    /// `name[index]`, as errors show it.
    let key: String
    let table: TOMLTable

    func fail(_ field: String, _ message: String) -> ConfigError {
        ConfigError(file: file, key: "\(key).\(field)", message: message)
    }

    /// A date `"YYYY-MM-DD"`; `nil` when the key is absent.
    func date(_ field: String) throws(ConfigError) -> LocalDate? {
        guard let value = table[field] else { return nil }
        guard let text = value.string, let date = LocalDate(iso: text) else { throw fail(field, "must be a date \"YYYY-MM-DD\"") }
        return date
    }

    /// A time `"HH:MM"`, or `fallback` when the key is absent.
    func time(_ field: String, default fallback: LocalTime) throws(ConfigError) -> LocalTime {
        guard let value = table[field] else { return fallback }
        guard let text = value.string, let time = LocalTime(iso: text) else { throw fail(field, "must be a time \"HH:MM\"") }
        return time
    }

    /// A non-empty list of names, each one of `T`'s raw values; `nil` when
    /// the key is absent.
    func names<T: RawRepresentable>(_ field: String, as type: T.Type, message: String) throws(ConfigError) -> [T]?
    where T.RawValue == String {
        guard let value = table[field] else { return nil }
        guard let items = value.array?.map({ $0.string.flatMap(T.init(rawValue:)) }), !items.isEmpty,
              items.allSatisfy({ $0 != nil }) else { throw fail(field, message) }
        return items.compactMap { $0 }
    }
}

extension TableReader {
    /// The tables of the `[[name]]` list, each checked for keys outside
    /// `keys`; `nil` when the config has no such list.
    func list(_ name: String, keys: Set<String>) throws(ConfigError) -> [ListEntry]? {
        guard let value = root[name] else { return nil }
        guard let list = value.array else { throw ConfigError(file: file, key: name, message: "must be [[\(name)]] tables") }
        var entries: [ListEntry] = []
        for (index, item) in list.enumerated() {
            let key = "\(name)[\(index)]"
            guard let table = item.table else { throw ConfigError(file: file, key: key, message: "must be a table") }
            let entry = ListEntry(file: file, key: key, table: table)
            for field in table.keys where !keys.contains(field) {
                throw entry.fail(field, "unknown key; expected one of \(keys.sorted().joined(separator: ", "))")
            }
            entries.append(entry)
        }
        return entries
    }
}
