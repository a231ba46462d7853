import Foundation
import Logging
import ServiceLifecycle
import Store

/// Notices jobs another process wrote into the store (`mdrsctl bookings
/// import`, `outbox retry`) and puts them on the wheel at once. inotify
/// reports writes to the database's files; SQLite's `data_version` tells
/// another connection's commit from the daemon's own.
struct StoreChangeService: Service {
    let store: Store
    let watcher: FolderWatcher
    let scheduler: Scheduler
    let logger: Logger
    /// The change counter and time read before the daemon loaded its
    /// pending jobs, so a commit in between is not missed.
    let counter: Int
    let checkedAt: Int64

    func run() async throws {
        let name = (store.path as NSString).lastPathComponent
        var counter = self.counter
        var checkedAt = self.checkedAt
        await withGracefulShutdownHandler {
            while let names = await watcher.next() {
                guard names.contains(where: { $0.hasPrefix(name) }), let now = try? store.externalChangeCounter(), now != counter else {
                    continue
                }
                counter = now
                // Second resolution: look back a little so nothing slips between.
                let since = checkedAt - 2
                checkedAt = Int64(Date().timeIntervalSince1970)
                guard let jobs = try? store.waitingJobs(updatedSince: since), !jobs.isEmpty else { continue }
                logger.info("jobs added by another process", metadata: ["jobs": "\(jobs.count)"])
                await scheduler.schedule(jobs.map { ($0.id, $0.due) })
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
    }
}
