public import Logging
public import ServiceLifecycle
public import Store

/// Hears of jobs another process wrote into the store (`mdrsctl bookings
/// import`, `outbox retry`, another instance) and reads the wheel's slice
/// again, so they go at once. How it hears is the backend's business
/// (inotify and `data_version` for SQLite, `LISTEN/NOTIFY` for
/// PostgreSQL, which names the jobs).
public struct StoreChangeService: Service {
    let store: any MDRSStore
    let scheduler: Scheduler
    let logger: Logger

    /// The service over these parts.
    public init(store: any MDRSStore, scheduler: Scheduler, logger: Logger) {
        self.store = store
        self.scheduler = scheduler
        self.logger = logger
    }

    public func run() async throws {
        let changes = try store.externalChanges()
        for await change in changes.cancelOnGracefulShutdown() {
            switch change {
            case .jobs:
                logger.info("the store was changed by another process; reading the jobs due soon again")
                await scheduler.reloadSlice()
            case .scheduled(let jobs):
                logger.debug("jobs announced by another process", metadata: ["jobs": "\(jobs.count)"])
                await scheduler.schedule(jobs)
            }
        }
    }
}
