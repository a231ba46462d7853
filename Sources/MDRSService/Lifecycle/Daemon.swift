import Foundation
import Logging
import Mailer
import MediationDomain
import Messages
import ServiceLifecycle
import Store
import UnixSignals

/// The running daemon: a ServiceGroup of the scheduler, the spool watcher,
/// the store-change watcher and the reload handler, shut down gracefully on
/// SIGTERM or SIGINT.
public struct Daemon: Sendable {
    public let instance: Instance
    public let logger: Logger

    public init(instance: Instance, logger: Logger) {
        self.instance = instance
        self.logger = logger
    }

    public func run() async throws {
        let logger = self.logger
        let runtime = try Runtime(instance: instance, logger: logger)
        let spool = try Spool(folder: instance.config.spool)
        let notifier = SystemdNotifier()
        let started = Date()
        let changeCounter = try instance.store.externalChangeCounter()
        let requeued = try instance.store.requeueInterruptedSends(now: started)
        if requeued > 0 { logger.notice("requeued emails interrupted mid-send", metadata: ["jobs": "\(requeued)"]) }
        let pending = try instance.store.pendingJobs()
        let overdue = OutageReport.overdue(pending, startedAt: started)
        let outage = OutageReport(overdue: overdue)
        if !overdue.isEmpty {
            logger.notice("emails fell due while mdrsd was not running; sending those still useful", metadata: ["jobs": "\(overdue.count)"])
        }

        let heartbeat = notifier.watchdogBeat.map { interval in (interval: interval, beat: { @Sendable in _ = notifier.notify(["WATCHDOG=1"]) }) }
        let scheduler = Scheduler(source: try TimerFDWakeSource(), logger: logger, heartbeat: heartbeat, afterBatch: { waiting, next in
            notifier.notify(["STATUS=\(Self.status(waiting: waiting, nextDue: next))"])
        }) { job, now in
            let parts = runtime.current
            let outcome = await parts.dispatcher.dispatch(job, now: now)
            if let report = await outage.record(job, outcome, service: parts.instance.config.service) {
                await parts.alerter.alert(report, key: "outage.\(Int(started.timeIntervalSince1970))", now: now)
            }
            switch outcome {
            case .retry(let next), .held(let next): return next
            default: return nil
            }
        }
        await scheduler.schedule(pending.map { ($0.id, $0.due) })

        let take: @Sendable (URL) async -> Void = { url in
            let parts = runtime.current
            guard let report = spool.take(url, with: parts.ingestor, now: Date(), logger: logger) else { return }
            await scheduler.schedule(report.newJobs.map { ($0.id, $0.due) })
            for call in report.unscheduled {
                await parts.alerter.alert(AdminAlertContext(
                    service: parts.instance.config.service, summary: "A preparatory call could not be planned",
                    detail: "No slot was found (\(call.reason)). Please arrange the mediator's call with the "
                        + "\(call.with.map(\.rawValue).joined(separator: " and ")) by hand.",
                    reference: call.booking), key: "unscheduled.\(call.booking).\(call.with.map(\.rawValue).joined())", now: Date())
            }
        }
        let status: @Sendable () async -> String = { Self.status(waiting: await scheduler.waiting, nextDue: await scheduler.nextDue()) }
        let databaseFolder = URL(fileURLWithPath: instance.store.path).deletingLastPathComponent()
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SchedulerService(scheduler: scheduler, notifier: notifier)),
            .init(service: SpoolService(spool: spool, watcher: try FolderWatcher(folder: spool.folder), take: take)),
            .init(service: StoreChangeService(store: instance.store, watcher: try FolderWatcher(folder: databaseFolder, events: FolderWatcher.modifiedFiles),
                                              scheduler: scheduler, logger: logger, counter: changeCounter,
                                              checkedAt: Int64(started.timeIntervalSince1970))),
            .init(service: ReloadService(runtime: runtime, notifier: notifier, logger: logger, status: status,
                                         schedule: { jobs in await scheduler.schedule(jobs.map { ($0.id, $0.due) }) })),
        ]
        logger.info("mdrsd ready", metadata: [
            "spool": "\(spool.folder.path)", "pending_jobs": "\(pending.count)",
            "database": "\(instance.store.path)", "transport": "\(Self.describe(instance.config.transport))",
        ])
        notifier.notify(["READY=1", "STATUS=\(await status()); watching \(spool.folder.path)"])
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
        logger.info("mdrsd stopped")
    }

    /// The `STATUS=` line: how many emails wait and when the next is due.
    static func status(waiting: Int, nextDue: Int64?) -> String {
        let next = nextDue.map { "next due \(Date(timeIntervalSince1970: TimeInterval($0)))" } ?? "none due"
        return "ready; \(waiting) emails pending, \(next)"
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
    let watcher: FolderWatcher
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
