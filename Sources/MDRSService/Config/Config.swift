public import Foundation
public import Mailer
public import MediationDomain
public import Store
public import Messages
public import PostgresStore

/// Everything the daemon and `mdrsctl` read from `mdrsd.toml`, with relative
/// paths already resolved against the config file's folder.
public struct Config: Sendable {
    /// How mail leaves the daemon.
    public enum Transport: Sendable, Equatable {
        /// Write `.eml` files into this folder; `fsync` each one when asked.
        case file(outbox: URL, fsync: Bool)
        case smtp(SMTPSettings)
    }

    /// The config file this was read from.
    public var file: URL
    public var service: ServiceIdentity
    /// Where SQLite keeps the store (`paths.database`), when `[store]` names
    /// no PostgreSQL database.
    public var database: URL
    /// The store: SQLite at ``database``, or PostgreSQL.
    public var store: StoreLocation
    /// How long a claim on an email lasts: an instance that dies sending it
    /// loses it then, and another sends it.
    public var lease: TimeInterval
    public var spool: URL
    /// Booking files larger than this are rejected before they are read.
    public var maxFileBytes: Int
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
    /// How far ahead the scheduler holds due jobs in memory; later ones
    /// wait in the store until the horizon reaches them.
    public var horizon: TimeInterval

    public var planning: PlanningRules
    public var mediators: [Mediator]
    /// The `[[reminders]]` plan.
    public var reminders: [ReminderRule]
    /// When family-facing email is held back.
    public var quietHours: QuietHours
    /// When each mediator's daily agenda goes out; `nil` for none.
    public var agendaTime: LocalTime?
    /// Whether the agenda lists the parties' phone numbers.
    public var agendaNumbers: Bool
    /// How long personal data is kept (`[retention]`).
    public var retention: Retention
    /// Where bounces come back and how they are read; `nil` (the default)
    /// for no bounce handling.
    public var bounces: Bounces?

    /// Where the store is.
    public enum StoreLocation: Sendable, Equatable {
        /// One SQLite file, for this one instance.
        case sqlite(URL)
        /// A PostgreSQL database several instances share; this one's name.
        case postgres(PostgresSettings, instance: String, connections: Int)
    }

    /// `[bounces]`: the signed envelope sender every email goes with, and
    /// the IMAP mailbox its bounces arrive in, read every `interval`.
    public struct Bounces: Sendable {
        /// Signs each email's envelope sender and checks bounces' tokens.
        public var address: BounceAddress
        /// The mailbox bounces arrive in.
        public var imap: IMAPSettings
        /// Seconds between reads of the mailbox.
        public var interval: TimeInterval
    }

    /// `[retention]`: days after the meeting (or the cancellation) a
    /// booking's personal data is kept — `nil` until the service sets it
    /// from its retention schedule — and days the delivery log keeps its
    /// rendered copies; the daily purge runs at `purgeTime` in the
    /// planning zone.
    public struct Retention: Sendable, Equatable {
        public var personalDataDays: Int?
        public var renderedCopyDays: Int
        public var purgeTime: LocalTime

        /// Where retention ends at `now`.
        public func cutoffs(now: Date) -> RetentionCutoffs {
            RetentionCutoffs(personalData: personalDataDays.map { now.addingTimeInterval(-Double($0) * 86_400) },
                             renderedCopies: now.addingTimeInterval(-Double(renderedCopyDays) * 86_400))
        }
    }

    /// Working days in the configured division, one-offs applied.
    public var calendar: WorkingDayCalendar { WorkingDayCalendar(division: division, changes: holidayChanges) }

    /// The emails a booking wants, by this config's plan.
    public var messagePlanner: MessagePlanner {
        MessagePlanner(reminders: reminders, quietHours: quietHours, calendar: calendar, agendaTime: agendaTime, zone: planning.zone)
    }

    /// How a booking version is decided, by this config.
    public var bookingPlanner: BookingPlanner {
        BookingPlanner(rules: planning, calendar: calendar, mediators: mediators, messages: messagePlanner)
    }

    /// The mediator with this id, if configured.
    public func mediator(_ id: String) -> Mediator? { mediators.first { $0.id == id } }

    /// Whether a reload from this config to `new` changes what bookings
    /// ahead should be sent, so their reminders must be planned again.
    public func changesReminderPlan(_ new: Config) -> Bool {
        reminders != new.reminders || quietHours != new.quietHours || agendaTime != new.agendaTime || division != new.division
            || holidayChanges != new.holidayChanges || planning.zone != new.planning.zone
    }
}
