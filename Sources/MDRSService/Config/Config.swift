import Foundation
import Mailer
import MediationDomain
import Messages

/// Everything the daemon and `mdrsctl` read from `mdrsd.toml`, with relative
/// paths already resolved against the config file's folder.
public struct Config: Sendable {
    /// How mail leaves the daemon.
    public enum Transport: Sendable, Equatable {
        /// Write `.eml` files into this folder.
        case file(outbox: URL)
        case smtp(SMTPSettings)
    }

    /// The config file this was read from.
    public var file: URL
    public var service: ServiceIdentity
    public var database: URL
    public var spool: URL
    public var templates: URL
    public var locale: String
    public var transport: Transport
    /// Where alerts for staff go (dead letters, configuration trouble).
    public var adminEmail: String
    public var retry: RetryPolicy
    /// Messages per minute and per day the relay accepts; `nil` for no limit.
    public var ratePerMinute: Int?
    public var ratePerDay: Int?
    public var logLevel: String
    /// The bank-holiday division working days are counted in.
    public var division: Division
    /// One-off changes to the bank-holiday rules.
    public var holidayChanges: [HolidayChange]

    public var planning: PlanningRules
    public var mediators: [Mediator]

    /// Working days in the configured division, one-offs applied.
    public var calendar: WorkingDayCalendar { WorkingDayCalendar(division: division, changes: holidayChanges) }

    /// The locale folder holding this config's templates.
    public var templateFolder: URL { templates.appendingPathComponent(locale) }
}
