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
        guard let entries = try reader.list("mediators", keys: mediatorKeys) else { return [] }
        var mediators: [Mediator] = []
        for entry in entries {
            let (table, fail) = (entry.table, entry.fail)
            guard let id = table["id"]?.string, !id.isEmpty else { throw fail("id", "is required") }
            if mediators.contains(where: { $0.id == id }) { throw fail("id", "'\(id)' is used twice") }
            guard let name = table["name"]?.string, !name.isEmpty else { throw fail("name", "is required") }
            func time(_ field: String, _ fallback: String) throws(ConfigError) -> LocalTime {
                guard let value = table[field] else { return LocalTime(iso: fallback)! }
                guard let text = value.string, let time = LocalTime(iso: text) else { throw fail(field, "must be a time \"HH:MM\"") }
                return time
            }
            let days = try entry.names("working_days", as: Weekday.self, message: "must list days: \"mon\" … \"sun\"")
                .map(Set.init) ?? [.mon, .tue, .wed, .thu, .fri]
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
