import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import ServiceLifecycle
import Store
import UnixSignals

/// The running daemon: a ServiceGroup of the scheduler and the spool
/// watcher, shut down gracefully on SIGTERM or SIGINT.
public struct Daemon: Sendable {
    public let instance: Instance
    public let logger: Logger

    public init(instance: Instance, logger: Logger) {
        self.instance = instance
        self.logger = logger
    }

    public func run() async throws {
        let transport = try instance.makeTransport(logger: logger)
        let config = instance.config
        let alerter = AdminAlerter(address: config.adminEmail, templates: instance.templates, composer: instance.composer,
                                   transport: transport, logger: logger)
        let dispatcher = Dispatcher(
            store: instance.store, templates: instance.templates, composer: instance.composer, transport: transport,
            alerter: alerter, retry: config.retry,
            limiter: SharedRateLimiter(RateLimiter(perMinute: config.ratePerMinute, perDay: config.ratePerDay)), logger: logger)
        let spool = try Spool(folder: instance.config.spool)
        let source = try TimerFDWakeSource()
        let notifier = SystemdNotifier()
        let heartbeat = notifier.watchdogBeat.map { interval in (interval: interval, beat: { @Sendable in _ = notifier.notify(["WATCHDOG=1"]) }) }
        let scheduler = Scheduler(source: source, logger: logger, heartbeat: heartbeat) { job in
            if case .retry(let next) = await dispatcher.dispatch(job, now: Date()) { return next }
            return nil
        }
        let requeued = try instance.store.requeueInterruptedSends(now: Date())
        if requeued > 0 { logger.notice("requeued emails interrupted mid-send", metadata: ["jobs": "\(requeued)"]) }
        let pending = try instance.store.pendingJobs()
        await scheduler.schedule(pending.map { ($0.id, $0.due) })

        let ingestor = Ingestor(instance: instance)
        let watcher = try SpoolWatcher(folder: spool.folder)
        let logger = self.logger
        let service = instance.composer.service
        let take: @Sendable (URL) async -> Void = { url in
            guard let report = spool.take(url, with: ingestor, now: Date(), logger: logger) else { return }
            await scheduler.schedule(report.newJobs.map { ($0.id, $0.due) })
            for call in report.unscheduled {
                await alerter.alert(AdminAlertContext(
                    service: service, summary: "A preparatory call could not be planned",
                    detail: "No slot was found (\(call.reason)). Please arrange the mediator's call with the "
                        + "\(call.with.map(\.rawValue).joined(separator: " and ")) by hand.",
                    reference: call.booking), key: "unscheduled.\(call.booking).\(call.with.map(\.rawValue).joined())", now: Date())
            }
        }
        let spoolService = SpoolService(spool: spool, watcher: watcher, take: take)
        let schedulerService = SchedulerService(scheduler: scheduler, notifier: notifier)
        logger.info("mdrsd ready", metadata: [
            "spool": "\(spool.folder.path)", "pending_jobs": "\(pending.count)",
            "database": "\(instance.store.path)", "transport": "\(Self.describe(instance.config.transport))",
        ])
        notifier.notify(["READY=1", "STATUS=ready; \(pending.count) emails pending; watching \(spool.folder.path)"])
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: schedulerService), .init(service: spoolService),
                       .init(service: HangUpService(logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("mdrsd stopped")
    }

    static func describe(_ transport: Config.Transport) -> String {
        switch transport {
        case .file(let outbox): "file \(outbox.path)"
        case .smtp(let settings): "smtp \(settings.url)"
        }
    }
}

/// Runs the scheduler loop until graceful shutdown; the batch in hand is
/// finished first.
struct SchedulerService: Service {
    let scheduler: Scheduler
    let notifier: SystemdNotifier

    func run() async throws {
        await withGracefulShutdownHandler {
            await scheduler.runLoop()
        } onGracefulShutdown: {
            notifier.notify(["STOPPING=1", "STATUS=stopping: finishing the emails in hand"])
            Task { await scheduler.stop() }
        }
    }
}

/// Takes the files already waiting, then each file inotify reports.
struct SpoolService: Service {
    let spool: Spool
    let watcher: SpoolWatcher
    let take: @Sendable (URL) async -> Void

    func run() async throws {
        await withGracefulShutdownHandler {
            for url in spool.waitingFiles() { await take(url) }
            while let names = await watcher.next() {
                for name in names where Spool.isCandidate(name) {
                    await take(spool.folder.appendingPathComponent(name))
                }
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
    }
}
