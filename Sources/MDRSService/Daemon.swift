import Foundation
import LinuxPlatform
public import Logging
import ServiceLifecycle
import Store
import Mailer
import UnixSignals

/// The running daemon: a ServiceGroup of named services — the job runner,
/// spool ingest, the store-change listener, the reload handler and the
/// bounce reader — shut down gracefully on SIGTERM or SIGINT within
/// ``stopWithin``. It only
/// wires them; each owns its behaviour.
public struct Daemon: Sendable {
    public let instance: Instance
    public let logger: Logger
    /// systemd's default stop timeout is 90 s; mdrsd exits well before.
    public var stopWithin: Duration = .seconds(8)

    /// A daemon for `instance`, logging to `logger`.
    public init(instance: Instance, logger: Logger) {
        self.instance = instance
        self.logger = logger
    }

    public func run() async throws {
        let notifier = SystemdNotifier()
        let link = SchedulerLink()
        let runtime = try Runtime(instance: instance, logger: logger, scheduler: link)
        let spool = try Spool(folder: instance.config.spool)
        // Jobs side by side go to each event loop in turn: one core each.
        // On SQLite, sixteen in hand keep the writer's next group commit
        // full while others render or wait for the relay (a 1,000-booking
        // batch to a loopback relay: 1,060-1,480 emails/s against 870-960
        // with four). An instance sharing PostgreSQL keeps four: what it
        // holds when it dies waits for its lease to end.
        let inHand = instance.store.isShared ? 4 : 16
        let runner = try await JobRunnerService.prepare(runtime: runtime, source: try TimerFDWakeSource(), link: link,
                                                         notifier: notifier, logger: logger, now: Date(), concurrency: inHand,
                                                         executors: EventLoopExecutor.all)
        // The retention purge: once at start-up, then daily from the wheel.
        await runner.scheduler.armHousekeeping(at: Date())
        let services: [any Service] = [
            runner,
            SpoolIngestService(spool: spool, watcher: try FolderWatcher(folder: spool.folder), runtime: runtime,
                               scheduler: runner.scheduler, logger: logger),
            StoreChangeService(store: instance.store, scheduler: runner.scheduler, logger: logger),
            await ReloadService(runtime: runtime, scheduler: runner.scheduler, notifier: notifier, logger: logger),
            BounceReaderService(runtime: runtime, logger: logger),
        ]
        logger.info("mdrsd ready", metadata: [
            "spool": "\(spool.folder.path)", "pending_jobs": "\(runner.waitingAtStart)",
            "database": "\(instance.store.location)", "transport": "\(Self.describe(instance.config.transport))",
        ])
        let status = await JobHandler.status(instance.store) ?? "ready"
        notifier.notify(["READY=1", "STATUS=\(status); watching \(spool.folder.path)"])
        var configuration = ServiceGroupConfiguration(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = stopWithin
        configuration.maximumCancellationDuration = .seconds(1)
        try await ServiceGroup(configuration: configuration).run()
        logger.info("mdrsd stopped")
    }

    static func describe(_ transport: Config.Transport) -> String {
        switch transport {
        case .file(let outbox, _): "file \(outbox.path)"
        case .smtp(let settings): "smtp \(settings.url)"
        }
    }
}
