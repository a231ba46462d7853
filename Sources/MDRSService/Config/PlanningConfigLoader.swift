import MediationDomain
import TOMLKit

/// Reads `[planning]` and the `[[mediators]]` list from the config.
enum PlanningConfigLoader {
    static let mediatorKeys: Set<String> = ["id", "name", "email", "phone", "working_days", "day_start", "day_end",
                                            "calls_per_day", "leave"]

    static func rules(_ reader: TableReader) throws(ConfigError) -> PlanningRules {
        PlanningRules(callMinutes: try reader.int("planning", "call_minutes", default: 30, in: 10...240),
                      gapMinutes: try reader.int("planning", "gap_minutes", default: 15, in: 0...240),
                      windowDays: try reader.int("planning", "window_days", default: 7, in: 1...30))
    }

    static func mediators(_ reader: TableReader) throws(ConfigError) -> [Mediator] {
        guard let value = reader.root["mediators"] else { return [] }
        guard let list = value.array else { throw ConfigError(file: reader.file, key: "mediators", message: "must be [[mediators]] tables") }
        var mediators: [Mediator] = []
        for (index, entry) in list.enumerated() {
            let key = "mediators[\(index)]"
            func fail(_ field: String, _ message: String) -> ConfigError {
                ConfigError(file: reader.file, key: "\(key).\(field)", message: message)
            }
            guard let table = entry.table else { throw ConfigError(file: reader.file, key: key, message: "must be a table") }
            for name in table.keys where !mediatorKeys.contains(name) {
                throw fail(name, "unknown key; expected one of \(mediatorKeys.sorted().joined(separator: ", "))")
            }
            guard let id = table["id"]?.string, !id.isEmpty else { throw fail("id", "is required") }
            if mediators.contains(where: { $0.id == id }) { throw fail("id", "'\(id)' is used twice") }
            guard let name = table["name"]?.string, !name.isEmpty else { throw fail("name", "is required") }
            func time(_ field: String, _ fallback: String) throws(ConfigError) -> LocalTime {
                guard let value = table[field] else { return LocalTime(iso: fallback)! }
                guard let text = value.string, let time = LocalTime(iso: text) else { throw fail(field, "must be a time \"HH:MM\"") }
                return time
            }
            var days: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri]
            if let value = table["working_days"] {
                guard let items = value.array?.map({ $0.string.flatMap(Weekday.init(rawValue:)) }), !items.isEmpty,
                      items.allSatisfy({ $0 != nil }) else { throw fail("working_days", "must list days: \"mon\" … \"sun\"") }
                days = Set(items.compactMap { $0 })
            }
            var calls = 6
            if let value = table["calls_per_day"] {
                guard let number = value.int, (1...40).contains(number) else { throw fail("calls_per_day", "must be from 1 to 40") }
                calls = number
            }
            var leave: [ClosedRange<LocalDate>] = []
            for (n, item) in (table["leave"]?.array.map(Array.init) ?? []).enumerated() {
                guard let from = item.table?["from"]?.string.flatMap(LocalDate.init(iso:)),
                      let to = item.table?["to"]?.string.flatMap(LocalDate.init(iso:)), from <= to else {
                    throw fail("leave[\(n)]", "must be { from = \"YYYY-MM-DD\", to = \"YYYY-MM-DD\" } with from <= to")
                }
                leave.append(from...to)
            }
            let start = try time("day_start", "09:00"), end = try time("day_end", "17:00")
            guard start < end else { throw fail("day_end", "must be after day_start") }
            mediators.append(Mediator(id: id, name: name, email: table["email"]?.string, phone: table["phone"]?.string,
                                      workingDays: days, dayStart: start, dayEnd: end, callsPerDay: calls, leave: leave))
        }
        return mediators
    }
}
