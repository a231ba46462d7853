import Foundation
import Mailer
public import MediationDomain
import Messages
import TOMLKit

/// Reads and checks `mdrsd.toml`. Every key has a default (listed in the
/// README and in `Config/mdrsd.toml`); an unknown key, a wrong type or a bad
/// value is an error naming the key, so a typo never silently does nothing.
public enum ConfigLoader {
    /// The keys each section may hold.
    static let schema: [String: Set<String>] = [
        "service": ["name", "name_cy", "from", "reply_to", "phone", "admin_email"],
        "paths": ["database", "spool", "templates", "locale", "holiday_changes"],
        "spool": ["max_file_bytes"],
        "scheduler": ["horizon_hours"],
        "calendar": ["division"],
        "planning": ["call_minutes", "gap_minutes", "window_days", "agenda_time", "agenda_numbers"],
        "retention": ["personal_data_days", "rendered_copy_days", "purge_time"],
        "quiet_hours": ["from", "to"],
        "mail": ["transport", "outbox", "outbox_fsync", "smtp_url", "require_tls", "username", "password_file", "ca_file",
                 "connect_timeout_seconds", "timeout_seconds", "rate_per_minute", "rate_per_day"],
        "bounces": ["return_path", "key_file", "imap_url", "mailbox", "username", "password_file", "ca_file", "interval_seconds"],
        "retry": ["initial_seconds", "maximum_seconds", "multiplier", "jitter", "maximum_attempts"],
        "log": ["level"],
        "store": StoreConfigLoader.keys,
    ]

    /// Loads the config at `path`.
    public static func load(path: String) throws(ConfigError) -> Config {
        let file = URL(fileURLWithPath: path).standardizedFileURL
        let reader = try TableReader(path: file.path, what: "the config file")
        try reader.checkKeys(schema)
        let folder = file.deletingLastPathComponent()
        func resolve(_ path: String) -> URL {
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path).standardizedFileURL
        }

        let from = try reader.string("service", "from", default: "mediation@example.org")
        let replyTo = try reader.string("service", "reply_to", default: from)
        let adminEmail = try reader.string("service", "admin_email", default: replyTo)
        for (key, address) in [("service.from", from), ("service.reply_to", replyTo), ("service.admin_email", adminEmail)]
        where !EmailAddress.isValid(address) {
            throw ConfigError(file: file.path, key: key, message: "'\(address)' is not an email address")
        }
        let service = ServiceIdentity(
            name: try reader.string("service", "name", default: "SEND Mediation Service"),
            fromAddress: from, replyTo: replyTo,
            phone: try reader.string("service", "phone", default: "0161 496 0999"),
            localizedNames: try reader.optionalString("service", "name_cy").map { ["cy": $0] } ?? [:])

        // Checked whichever transport is chosen: a bad value is a mistake now.
        let connectTimeout = try reader.int("mail", "connect_timeout_seconds", default: 10, in: 1...300)
        let overallTimeout = try reader.int("mail", "timeout_seconds", default: 60, in: 1...3600)
        let requireTLS = try reader.bool("mail", "require_tls", default: true)
        let transportName = try reader.string("mail", "transport", default: "file")
        let transport: Config.Transport
        switch transportName {
        case "file":
            transport = .file(outbox: resolve(try reader.string("mail", "outbox", default: "var/outbox")),
                              fsync: try reader.bool("mail", "outbox_fsync", default: false))
        case "smtp":
            var settings = try smtpSettings(reader, resolve: resolve)
            settings.requireTLS = requireTLS
            settings.connectTimeoutSeconds = connectTimeout
            settings.timeoutSeconds = overallTimeout
            settings.ehloDomain = service.domain
            transport = .smtp(settings)
        default:
            throw ConfigError(file: file.path, key: "mail.transport", message: "must be \"file\" or \"smtp\", not \"\(transportName)\"")
        }
        let level = try reader.string("log", "level", default: "info")
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
            throw ConfigError(file: file.path, key: "log.level", message: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        let locale = try reader.string("paths", "locale", default: "en")
        let retry = RetryPolicy(
            initialDelay: try reader.double("retry", "initial_seconds", default: 60, in: 1...86_400),
            maximumDelay: try reader.double("retry", "maximum_seconds", default: 3600, in: 1...604_800),
            multiplier: try reader.double("retry", "multiplier", default: 2, in: 1...10),
            jitter: try reader.double("retry", "jitter", default: 0.2, in: 0...1),
            maximumAttempts: try reader.int("retry", "maximum_attempts", default: 10, in: 1...100))
        let database = resolve(try reader.string("paths", "database", default: "var/mdrsd.sqlite"))
        return Config(
            file: file, service: service,
            database: database,
            store: try StoreConfigLoader.store(reader, database: database, resolve: resolve),
            lease: try StoreConfigLoader.lease(reader, timeout: overallTimeout),
            spool: resolve(try reader.string("paths", "spool", default: "var/spool")),
            maxFileBytes: try reader.int("spool", "max_file_bytes", default: 10 * 1024 * 1024, in: 1024...1024 * 1024 * 1024),
            templates: resolve(try reader.string("paths", "templates", default: "templates")),
            locale: locale, transport: transport, adminEmail: adminEmail, retry: retry,
            ratePerMinute: try reader.optionalInt("mail", "rate_per_minute", in: 1...100_000),
            ratePerDay: try reader.optionalInt("mail", "rate_per_day", in: 1...10_000_000),
            logLevel: level, division: try division(reader),
            holidayChanges: try holidayChanges(reader, resolve: resolve),
            horizon: TimeInterval(try reader.int("scheduler", "horizon_hours", default: 24, in: 1...24 * 31) * 3600),
            planning: try PlanningConfigLoader.rules(reader), mediators: try PlanningConfigLoader.mediators(reader),
            reminders: try ReminderConfigLoader.reminders(reader), quietHours: try ReminderConfigLoader.quietHours(reader),
            agendaTime: try ReminderConfigLoader.agendaTime(reader),
            agendaNumbers: try reader.bool("planning", "agenda_numbers", default: true),
            retention: Config.Retention(
                personalDataDays: try reader.optionalInt("retention", "personal_data_days", in: 1...36_500),
                renderedCopyDays: try reader.int("retention", "rendered_copy_days", default: 90, in: 1...36_500),
                purgeTime: try reader.optionalString("retention", "purge_time").map { text throws(ConfigError) in
                    guard let time = LocalTime(iso: text) else {
                        throw ConfigError(file: file.path, key: "retention.purge_time", message: "must be a time of day, HH:MM")
                    }
                    return time
                } ?? LocalTime(hour: 3, minute: 0)!),
            bounces: try bounces(reader, resolve: resolve, connectTimeout: connectTimeout, timeout: overallTimeout))
    }

    /// `[bounces]`, all or nothing: a return path without a mailbox to read
    /// would sign addresses nobody checks.
    private static func bounces(_ reader: TableReader, resolve: (String) -> URL, connectTimeout: Int, timeout: Int)
    throws(ConfigError) -> Config.Bounces? {
        guard reader.root["bounces"] != nil else { return nil }
        func required(_ key: String) throws(ConfigError) -> String {
            guard let value = try reader.optionalString("bounces", key) else {
                throw ConfigError(file: reader.file, key: "bounces.\(key)", message: "is required when [bounces] is present")
            }
            return value
        }
        let returnPath = try required("return_path")
        guard EmailAddress.isValid(returnPath), !returnPath.contains("+") else {
            throw ConfigError(file: reader.file, key: "bounces.return_path",
                              message: "'\(returnPath)' must be an email address without a '+' (mdrsd adds +TOKEN to it)")
        }
        let url = try required("imap_url")
        guard url.hasPrefix("imaps://") || url.hasPrefix("imap://") else {
            throw ConfigError(file: reader.file, key: "bounces.imap_url", message: "must start with imaps:// or imap:// (STARTTLS)")
        }
        let key = try secret(reader, "bounces", "key_file", resolve: resolve, path: try required("key_file"))
        guard key.utf8.count >= 16 else {
            throw ConfigError(file: reader.file, key: "bounces.key_file",
                              message: "must hold at least 16 random bytes, e.g. made by `head -c 32 /dev/urandom | base64`")
        }
        let imap = IMAPSettings(
            url: url, mailbox: try reader.string("bounces", "mailbox", default: "INBOX"), username: try required("username"),
            password: try secret(reader, "bounces", "password_file", resolve: resolve, path: try required("password_file")),
            caFile: try reader.optionalString("bounces", "ca_file").map { resolve($0).path },
            connectTimeoutSeconds: connectTimeout, timeoutSeconds: timeout)
        return Config.Bounces(address: BounceAddress(returnPath: returnPath, key: Data(key.utf8)), imap: imap,
                              interval: TimeInterval(try reader.int("bounces", "interval_seconds", default: 300, in: 1...86_400)))
    }

    /// A credential file's content, without its final newline.
    static func secret(_ reader: TableReader, _ section: String, _ key: String, resolve: (String) -> URL, path name: String) throws(ConfigError) -> String {
        let path = resolve(name).path
        guard let secret = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: reader.file, key: "\(section).\(key)", message: "cannot read \(path)")
        }
        return secret.trimmingCharacters(in: .newlines)
    }

    private static func smtpSettings(_ reader: TableReader, resolve: (String) -> URL) throws(ConfigError) -> SMTPSettings {
        guard let url = try reader.optionalString("mail", "smtp_url") else {
            throw ConfigError(file: reader.file, key: "mail.smtp_url", message: "is required when mail.transport is \"smtp\"")
        }
        guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
            throw ConfigError(file: reader.file, key: "mail.smtp_url", message: "must start with smtp:// or smtps://")
        }
        var password: String?
        if let passwordFile = try reader.optionalString("mail", "password_file") {
            password = try secret(reader, "mail", "password_file", resolve: resolve, path: passwordFile)
        }
        return SMTPSettings(
            url: url, username: try reader.optionalString("mail", "username"), password: password,
            caFile: try reader.optionalString("mail", "ca_file").map { resolve($0).path })
    }

    private static func division(_ reader: TableReader) throws(ConfigError) -> Division {
        let name = try reader.string("calendar", "division", default: Division.englandAndWales.rawValue)
        guard let division = Division(rawValue: name) else {
            throw ConfigError(file: reader.file, key: "calendar.division",
                              message: "must be england-and-wales, scotland or northern-ireland")
        }
        return division
    }

    /// The shipped file is optional (a config copied alone still starts);
    /// a file named in the config must exist.
    private static func holidayChanges(_ reader: TableReader, resolve: (String) -> URL) throws(ConfigError) -> [HolidayChange] {
        let named = try reader.optionalString("paths", "holiday_changes")
        let path = resolve(named ?? "bank-holiday-changes.toml").path
        if named == nil && !FileManager.default.fileExists(atPath: path) { return [] }
        return try HolidayChangesLoader.load(path: path)
    }
}
