import Synchronization
public import Store

/// Something that puts jobs on the wheel: the scheduler, reached by the
/// parts that store jobs while the daemon runs (alerts, ingest, reload).
public protocol JobScheduling: Sendable {
    /// Puts these jobs on the wheel if they fall within its horizon.
    func schedule(_ jobs: [ScheduledJob]) async
}

extension Scheduler: JobScheduling {}

/// The scheduler, once there is one: the dispatcher is built before the
/// scheduler that runs it, and alerts it raises must reach that scheduler.
public final class SchedulerLink: JobScheduling {
    private let scheduler = Mutex<Scheduler?>(nil)

    /// An unconnected link; jobs scheduled before ``connect(_:)`` wait in the
    /// store and are read with the first slice.
    public init() {}

    /// Connects the link to the running scheduler.
    public func connect(_ scheduler: Scheduler) { self.scheduler.withLock { $0 = scheduler } }

    public func schedule(_ jobs: [ScheduledJob]) async {
        guard !jobs.isEmpty, let scheduler = scheduler.withLock({ $0 }) else { return }
        await scheduler.schedule(jobs)
    }
}
