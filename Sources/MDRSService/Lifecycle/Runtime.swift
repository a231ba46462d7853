import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import Store
import Synchronization

/// What the daemon works with now: the instance and the parts built from
/// its config. A reload builds a whole new set and swaps it in one step;
/// sends already under way finish with the set they started with.
public final class Runtime: Sendable {
    /// One consistent set.
    public struct Parts: Sendable {
        /// The config, store and templates.
        public let instance: Instance
        /// Sends due jobs with this config's transport and templates.
        public let dispatcher: Dispatcher
        /// Stores booking files with this config's plan.
        public let ingestor: Ingestor
        /// Emails staff through this config's transport.
        public let alerter: AdminAlerter
    }

    private let parts: Mutex<Parts>
    private let logger: Logger

    /// The parts of `instance`; `transport` overrides the configured one.
    /// - Throws: ``ConfigError`` when the transport cannot be set up.
    public init(instance: Instance, logger: Logger, transport: (any MailTransport)? = nil) throws(ConfigError) {
        self.logger = logger
        parts = Mutex(try Self.build(instance, logger: logger, transport: transport))
        logFallbacks(instance.templates)
    }

    /// The set to use for the next piece of work.
    public var current: Parts { parts.withLock { $0 } }

    /// Builds the parts of `instance`. `transport` overrides the configured
    /// one (simulation).
    static func build(_ instance: Instance, logger: Logger, transport given: (any MailTransport)? = nil,
                      limiter: SharedRateLimiter? = nil) throws(ConfigError) -> Parts {
        let config = instance.config
        let transport: any MailTransport
        if let given { transport = given } else { transport = try instance.makeTransport(logger: logger) }
        let alerter = AdminAlerter(address: config.adminEmail, templates: instance.templates.main, composer: instance.composer,
                                   transport: transport, logger: logger)
        let dispatcher = Dispatcher(
            store: instance.store, config: config, builder: instance.builder, transport: transport, alerter: alerter,
            limiter: limiter ?? SharedRateLimiter(RateLimiter(perMinute: config.ratePerMinute, perDay: config.ratePerDay)), logger: logger)
        return Parts(instance: instance, dispatcher: dispatcher, ingestor: Ingestor(instance: instance), alerter: alerter)
    }

    /// Reads the config and templates again and swaps them in, or keeps the
    /// running set and throws why. When the reminder plan, quiet hours, the
    /// agenda time or the calendar changed, every booking's reminders are
    /// planned again.
    /// - Returns: jobs added or moved by that, for the wheel.
    @discardableResult
    public func reload(now: Date = Date()) throws(ConfigError) -> [Job] {
        let running = current
        let instance = try running.instance.reloaded()
        // Unchanged limits keep their windows: a reload must not let a burst through.
        let sameLimits = (instance.config.ratePerMinute, instance.config.ratePerDay)
            == (running.instance.config.ratePerMinute, running.instance.config.ratePerDay)
        let next = try Self.build(instance, logger: logger, limiter: sameLimits ? running.dispatcher.limiter : nil)
        parts.withLock { $0 = next }
        logFallbacks(instance.templates)
        let (old, new) = (running.instance.config, instance.config)
        guard old.reminders != new.reminders || old.quietHours != new.quietHours || old.agendaTime != new.agendaTime
                || old.division != new.division || old.holidayChanges != new.holidayChanges || old.planning.zone != new.planning.zone else {
            return []
        }
        do {
            let jobs = try next.ingestor.replanReminders(now: now)
            logger.notice("reminder plan changed: reminders planned again", metadata: ["jobs": "\(jobs.count)"])
            return jobs
        } catch {
            logger.error("cannot plan the reminders again; the new plan applies to bookings stored from now", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// Says which messages each translation sends in the main locale.
    private func logFallbacks(_ templates: LocalizedTemplates) {
        for (locale, messages) in templates.fallbacks where !messages.isEmpty {
            logger.notice("templates fall back to the main locale", metadata: [
                "locale": "\(locale)", "messages": "\(messages.map(\.rawValue).joined(separator: ","))"])
        }
    }
}
