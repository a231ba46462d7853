import Foundation
public import MediationDomain
import TOMLKit

/// Reads `bank-holiday-changes.toml`, the administrator's list of one-off
/// changes to the bank-holiday rules (`[[change]]` tables).
public enum HolidayChangesLoader {
    static let keys: Set<String> = ["moves", "date", "name", "divisions"]

    /// Loads the file; every error names the file, the entry and the key.
    public static func load(path: String) throws(ConfigError) -> [HolidayChange] {
        let reader = try TableReader(path: path, what: "the bank-holiday changes file")
        guard let entries = try reader.list("change", keys: keys) else { return [] }
        var changes: [HolidayChange] = []
        for entry in entries {
            guard let when = try entry.date("date") else { throw entry.fail("date", "is required") }
            guard let name = entry.table["name"]?.string, !name.isEmpty else { throw entry.fail("name", "is required") }
            let divisions = try entry.names("divisions", as: Division.self,
                                            message: "must list england-and-wales, scotland or northern-ireland")
            changes.append(HolidayChange(moves: try entry.date("moves"), date: when, name: name,
                                         divisions: divisions.map(Set.init) ?? Set(Division.allCases)))
        }
        return changes
    }
}
