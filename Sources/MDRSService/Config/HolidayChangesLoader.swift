import Foundation
import MediationDomain
import TOMLKit

/// Reads `bank-holiday-changes.toml`, the administrator's list of one-off
/// changes to the bank-holiday rules.
public enum HolidayChangesLoader {
    /// Loads the file; every error names the file, the entry and the key.
    public static func load(path: String) throws(ConfigError) -> [HolidayChange] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, message: "cannot read the bank-holiday changes file")
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: path, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: path, message: "not valid TOML: \(error)")
        }
        guard let entries = root["change"]?.array else { return [] }
        var changes: [HolidayChange] = []
        for (index, entry) in entries.enumerated() {
            let key = "change[\(index)]"
            guard let table = entry.table else { throw ConfigError(file: path, key: key, message: "must be a [[change]] table") }
            func date(_ name: String) throws(ConfigError) -> LocalDate? {
                guard let value = table[name] else { return nil }
                guard let text = value.string, let date = LocalDate(iso: text) else {
                    throw ConfigError(file: path, key: "\(key).\(name)", message: "must be a date \"YYYY-MM-DD\"")
                }
                return date
            }
            for name in table.keys where !["moves", "date", "name", "divisions"].contains(name) {
                throw ConfigError(file: path, key: "\(key).\(name)", message: "unknown key; expected moves, date, name, divisions")
            }
            guard let when = try date("date") else { throw ConfigError(file: path, key: "\(key).date", message: "is required") }
            guard let name = table["name"]?.string, !name.isEmpty else {
                throw ConfigError(file: path, key: "\(key).name", message: "is required")
            }
            var divisions = Set(Division.allCases)
            if let list = table["divisions"] {
                guard let items = list.array?.map({ $0.string.flatMap(Division.init(rawValue:)) }), !items.isEmpty,
                      items.allSatisfy({ $0 != nil }) else {
                    throw ConfigError(file: path, key: "\(key).divisions",
                                      message: "must list england-and-wales, scotland or northern-ireland")
                }
                divisions = Set(items.compactMap { $0 })
            }
            changes.append(HolidayChange(moves: try date("moves"), date: when, name: name, divisions: divisions))
        }
        return changes
    }
}
