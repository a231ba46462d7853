import MediationDomain
import TOMLKit

/// Reads the `[[reminders]]` list and `[quiet_hours]`. Without any
/// `[[reminders]]` table the shipped plan (``ReminderRule/defaults``) applies;
/// `reminders = []` turns reminders off.
enum ReminderConfigLoader {
    static let keys: Set<String> = ["message", "before", "at", "roles"]

    static func reminders(_ reader: TableReader) throws(ConfigError) -> [ReminderRule] {
        guard let entries = try reader.list("reminders", keys: keys) else { return ReminderRule.defaults }
        var rules: [ReminderRule] = []
        for entry in entries {
            let (table, fail) = (entry.table, entry.fail)
            let names = ReminderRule.messages.map(\.rawValue)
            guard let name = table["message"]?.string, let message = MessageKind(rawValue: name),
                  ReminderRule.messages.contains(message) else {
                throw fail("message", "must be one of \(names.joined(separator: ", "))")
            }
            guard let text = table["before"]?.string, let offset = ReminderRule.Offset(text) else {
                throw fail("before", "must be a time before the event: \"90m\", \"2h\", \"1d\" or \"2wd\" (working days)")
            }
            var at: LocalTime?
            if let value = table["at"] {
                guard let text = value.string, let time = LocalTime(iso: text) else { throw fail("at", "must be a time \"HH:MM\"") }
                guard offset.isInDays else { throw fail("at", "needs `before` in days (\"1d\") or working days (\"2wd\")") }
                at = time
            }
            if offset.unit == .workingDays && at == nil { throw fail("at", "is required with working days") }
            let roles = try entry.names("roles", as: Role.self,
                                        message: "must list roles: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                .map(Set.init) ?? Set(Role.allCases)
            rules.append(ReminderRule(message: message, offset: offset, at: at, roles: roles))
        }
        return rules
    }

    static func quietHours(_ reader: TableReader) throws(ConfigError) -> QuietHours {
        func time(_ key: String, _ fallback: LocalTime) throws(ConfigError) -> LocalTime {
            guard let text = try reader.optionalString("quiet_hours", key) else { return fallback }
            guard let time = LocalTime(iso: text) else {
                throw ConfigError(file: reader.file, key: "quiet_hours.\(key)", message: "must be a time \"HH:MM\"")
            }
            return time
        }
        return QuietHours(from: try time("from", QuietHours.standard.from), to: try time("to", QuietHours.standard.to))
    }

    /// `[planning] agenda_time`; "" for no agenda.
    static func agendaTime(_ reader: TableReader) throws(ConfigError) -> LocalTime? {
        guard reader.root["planning"]?.table?["agenda_time"] != nil else { return LocalTime(hour: 8, minute: 0) }
        guard let text = try reader.optionalString("planning", "agenda_time") else { return nil }
        guard let time = LocalTime(iso: text) else {
            throw ConfigError(file: reader.file, key: "planning.agenda_time", message: "must be a time \"HH:MM\", or \"\" for no agenda")
        }
        return time
    }
}
