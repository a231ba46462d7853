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
            // Ids go into bookings, job keys and Message-IDs.
            guard id.count <= 40, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                throw fail("id", "'\(id)' must be up to 40 letters, digits, '.', '_' or '-'")
            }
            if mediators.contains(where: { $0.id == id }) { throw fail("id", "'\(id)' is used twice") }
            guard let name = table["name"]?.string, !name.isEmpty else { throw fail("name", "is required") }
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
            let start = try entry.time("day_start", default: LocalTime(hour: 9, minute: 0)!)
            let end = try entry.time("day_end", default: LocalTime(hour: 17, minute: 0)!)
            guard start < end else { throw fail("day_end", "must be after day_start") }
            let email = table["email"]?.string
            if let email, !EmailAddress.isValid(email) { throw fail("email", "'\(email)' is not an email address") }
            let phone = table["phone"]?.string
            if let phone, PhoneNumber(phone) == nil { throw fail("phone", "must be a phone number: digits, spaces and + ( ) -") }
            mediators.append(Mediator(id: id, name: name, email: email, phone: phone,
                                      workingDays: days, dayStart: start, dayEnd: end, callsPerDay: calls, leave: leave))
        }
        return mediators
    }
}
