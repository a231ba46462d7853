public import Foundation
public import Logging
public import Mailer
public import MediationDomain
import Messages
public import Store
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
        /// Raises staff alerts, through the queue.
        public let alerts: AlertRaiser
        /// Reads the bounce mailbox, when `[bounces]` is set.
        public let bounces: BounceReader?
    }

    private let parts: Mutex<Parts>
    private let logger: Logger
    private let scheduler: any JobScheduling
    private let backlog = FinishBacklog()
    private let reloadSignal = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    /// Yields after each reload that swapped in a new set; for the one
    /// service that waits on settings (the bounce reader, while off).
    public var reloads: AsyncStream<Void> { reloadSignal.stream }

    /// The parts of `instance`; `transport` overrides the configured one.
    /// - Parameter scheduler: where jobs stored while running are put.
    /// - Throws: ``ConfigError`` when the transport cannot be set up.
    public init(instance: Instance, logger: Logger, scheduler: any JobScheduling, transport: (any MailTransport)? = nil)
    throws(ConfigError) {
        self.logger = logger
        self.scheduler = scheduler
        let chosen: any MailTransport
        if let transport { chosen = transport } else { chosen = try instance.makeTransport(logger: logger) }
        parts = Mutex(Self.build(instance, transport: chosen, scheduler: scheduler, backlog: backlog, logger: logger,
                                 limiter: nil))
    }

    /// The set to use for the next piece of work.
    public var current: Parts { parts.withLock { $0 } }

    private static func build(_ instance: Instance, transport: any MailTransport, scheduler: any JobScheduling,
                              backlog: FinishBacklog, logger: Logger, limiter: SharedRateLimiter?) -> Parts {
        let config = instance.config
        let direct = DirectAlerter(address: config.adminEmail, templates: instance.templates.main, composer: instance.composer,
                                   transport: transport, logger: logger)
        let alerts = AlertRaiser(store: instance.store, scheduler: scheduler, direct: direct, logger: logger)
        var dispatcher = Dispatcher(
            store: instance.store, config: config, builder: instance.builder, transport: transport, alerts: alerts,
            limiter: limiter ?? SharedRateLimiter(RateLimiter(perMinute: config.ratePerMinute, perDay: config.ratePerDay)),
            backlog: backlog, logger: logger)
        dispatcher.lease = config.lease
        let bounces = config.bounces.flatMap { settings in
            (try? IMAPMailbox(settings: settings.imap)).map {
                BounceReader(store: instance.store, mailbox: $0, address: settings.address, alerts: alerts, logger: logger)
            }
        }
        return Parts(instance: instance, dispatcher: dispatcher, ingestor: Ingestor(instance: instance), alerts: alerts, bounces: bounces)
    }

    /// What a reload did.
    public struct Reload: Sendable {
        /// The waiting jobs it added or moved, for the wheel.
        public var jobs: [ScheduledJob]
    }

    /// Reads the config and templates again and swaps them in, or keeps the
    /// running set and throws why. A changed reminder plan, quiet hours,
    /// agenda time or calendar plans the reminders of every booking ahead
    /// again; changed mail settings try the emails waiting on a
    /// configuration failure at once.
    public func reload(now: Date = Date()) async throws(ConfigError) -> Reload {
        let running = current
        let instance = try running.instance.reloaded()
        let (old, new) = (running.instance.config, instance.config)
        // Unchanged limits keep their windows: a reload must not let a burst through.
        let sameLimits = (new.ratePerMinute, new.ratePerDay) == (old.ratePerMinute, old.ratePerDay)
        let next = Self.build(instance, transport: try instance.makeTransport(logger: logger), scheduler: scheduler, backlog: backlog,
                              logger: logger, limiter: sameLimits ? running.dispatcher.limiter : nil)
        parts.withLock { $0 = next }
        reloadSignal.continuation.yield()
        var jobs: [ScheduledJob] = []
        if old.transport != new.transport {
            do {
                let waiting = try await instance.store.retryConfigurationWaits(now: now)
                if !waiting.isEmpty { logger.notice("mail settings changed: emails waiting on them go now", metadata: ["jobs": "\(waiting.count)"]) }
                jobs += waiting
            } catch {
                logger.error("cannot retry the emails waiting on the mail settings", metadata: ["error": "\(error)"])
            }
        }
        if old.changesReminderPlan(new) {
            do {
                let replanned = try await next.ingestor.replanReminders(now: now)
                logger.notice("reminder plan changed: reminders planned again", metadata: ["jobs": "\(replanned.count)"])
                jobs += replanned
            } catch {
                logger.error("cannot plan the reminders again; the new plan applies to bookings stored from now", metadata: ["error": "\(error)"])
            }
        }
        return Reload(jobs: jobs)
    }
}
