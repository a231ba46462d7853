import Foundation
import MediationDomain
import TOMLKit

/// Typed access to `[section] key = value`, with errors naming the key.
struct TableReader {
    let file: String
    let root: TOMLTable

    init(file: String, root: TOMLTable) {
        self.file = file
        self.root = root
    }

    /// Reads and parses a TOML file; `what` names it in errors.
    init(path: String, what: String) throws(ConfigError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, message: "cannot read \(what)")
        }
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: path, line: error.source.begin.line, column: error.source.begin.column,
                              message: "not valid TOML: \(error.description)", cause: error)
        } catch {
            throw ConfigError(file: path, message: "not valid TOML: \(error)", cause: error)
        }
        file = path
    }

    func checkKeys(_ schema: [String: Set<String>]) throws(ConfigError) {
        for section in root.keys.sorted() where !Self.lists.contains(section) {
            guard let allowed = schema[section] else {
                throw ConfigError(file: file, key: section, message: "unknown section; expected one of \(schema.keys.sorted().joined(separator: ", "))")
            }
            guard let table = root[section]?.table else {
                throw ConfigError(file: file, key: section, message: "must be a [section]")
            }
            for key in table.keys.sorted() where !allowed.contains(key) {
                throw ConfigError(file: file, key: "\(section).\(key)", message: "unknown key; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    /// The `[[name]]` lists a config may hold beside its sections.
    static let lists: Set<String> = ["mediators", "reminders"]

    func value(_ section: String, _ key: String) -> (any TOMLValueConvertible)? {
        root[section]?.table?[key]
    }

    func optionalString(_ section: String, _ key: String) throws(ConfigError) -> String? {
        guard let value = value(section, key) else { return nil }
        guard let text = value.string else {
            throw ConfigError(file: file, key: "\(section).\(key)", message: "must be a string")
        }
        return text.isEmpty ? nil : text
    }

    func string(_ section: String, _ key: String, default fallback: String) throws(ConfigError) -> String {
        try optionalString(section, key) ?? fallback
    }

    func bool(_ section: String, _ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let value = value(section, key) else { return fallback }
        guard let flag = value.bool else { throw ConfigError(file: file, key: "\(section).\(key)", message: "must be true or false") }
        return flag
    }

    func double(_ section: String, _ key: String, default fallback: Double, in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let value = value(section, key) else { return fallback }
        guard let number = value.double ?? value.int.map(Double.init), range.contains(number) else {
            throw ConfigError(file: file, key: "\(section).\(key)", message: "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func optionalInt(_ section: String, _ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard value(section, key) != nil else { return nil }
        return try int(section, key, default: 0, in: range)
    }

    func int(_ section: String, _ key: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let value = value(section, key) else { return fallback }
        guard let number = value.int, range.contains(number) else {
            throw ConfigError(file: file, key: "\(section).\(key)", message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
