public import Foundation
public import LinuxPlatform
public import Logging
import MediationDomain
public import ServiceLifecycle
import Store
import Synchronization

/// Runs due jobs: the scheduler's loop, each due job through the current
/// dispatcher, and the report of an outage. On graceful shutdown it takes
/// no new job; the send in hand finishes, the rest stay pending.
public struct JobRunnerService: Service {
    /// The scheduler it runs.
    public let scheduler: Scheduler
    let notifier: SystemdNotifier
    /// How many jobs waited in the store at start-up, and the first due.
    public let waitingAtStart: Int

    /// Gets the queue ready for a start at `now`: sends interrupted by a
    /// crash are requeued, the jobs overdue after an outage noted for the
    /// report, and the first slice of due jobs loaded on the wheel.
    /// - Parameters:
    ///   - concurrency: how many due jobs run at once (more for a
    ///     simulation, whose transport writes files).
    ///   - executors: where they run, in turn (the daemon's event loops).
    public static func prepare(runtime: Runtime, source: any WakeSource, link: SchedulerLink, notifier: SystemdNotifier,
                               logger: Logger, now: Date, concurrency: Int = 4,
                               executors: [any TaskExecutor]? = nil) async throws -> JobRunnerService {
        let store = runtime.current.instance.store
        let requeued = try await store.recoverInterruptedSends(now: now, all: true)
        if requeued > 0 { logger.notice("requeued emails interrupted mid-send", metadata: ["jobs": "\(requeued)"]) }
        var overdue: [Job] = []
        let cutoff = now.addingTimeInterval(-OutageReport.grace)
        while true {
            let page = try await store.jobs(JobQuery(states: JobState.waiting, dueBefore: cutoff),
                                            after: overdue.last.map(JobCursor.init(after:)), limit: 1000)
            overdue += page
            if page.count < 1000 { break }
        }
        if !overdue.isEmpty {
            logger.notice("emails fell due while mdrsd was not running; sending those still useful", metadata: ["jobs": "\(overdue.count)"])
        }
        let handler = JobHandler(runtime: runtime, outage: overdue.isEmpty ? nil : OutageReport(overdue: overdue, startedAt: now),
                                 notifier: notifier, logger: logger)
        let heartbeat = notifier.watchdogBeat.map { interval in (interval: interval, beat: { @Sendable in _ = notifier.notify(["WATCHDOG=1"]) }) }
        let scheduler = Scheduler(source: source, horizon: runtime.current.instance.config.horizon, handler: handler, logger: logger,
                                  heartbeat: heartbeat, concurrency: concurrency, executors: executors)
        let end = scheduler.horizonEnd(from: now)
        await scheduler.load(try await store.due(before: end), horizonEnd: end)
        if store.isShared, let lease = try await store.nextLeaseEnd() { await scheduler.watchLeases(until: lease) }
        link.connect(scheduler)
        let waiting = try await store.counts().filter { JobState.waiting.contains($0.key) }.values.reduce(0, +)
        return JobRunnerService(scheduler: scheduler, notifier: notifier, waitingAtStart: waiting)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await scheduler.runLoop()
        } onGracefulShutdown: {
            notifier.notify(["STOPPING=1", "STATUS=stopping: finishing the email in hand"])
            Task { await scheduler.stop() }
        }
    }
}

/// What the scheduler calls: dispatch with the current parts, note outage
/// outcomes, keep `STATUS=` current.
struct JobHandler: SchedulerHandler {
    let runtime: Runtime
    let outage: OutageReport?
    let notifier: SystemdNotifier
    let logger: Logger
    private let lastStatus = StatusThrottle()

    init(runtime: Runtime, outage: OutageReport?, notifier: SystemdNotifier, logger: Logger) {
        self.runtime = runtime
        self.outage = outage
        self.notifier = notifier
        self.logger = logger
    }

    func run(_ job: Int64, now: Date) async -> Date? {
        let parts = runtime.current
        let outcome = await parts.dispatcher.dispatch(job, now: now)
        if let outage, let report = await outage.record(job, outcome) { await parts.alerts.raise([report], now: now) }
        await reportStatus(parts, now: now)
        switch outcome {
        case .retry(let next), .held(let next), .storeUnavailable(let next): return next
        case .sent, .dead, .skipped, .notPending, .heldAfterBounce: return nil
        }
    }

    func jobs(dueBefore horizon: Date) async -> [ScheduledJob]? {
        do {
            return try await runtime.current.instance.store.due(before: horizon)
        } catch {
            logger.error("cannot read the jobs due next", metadata: ["error": "\(error)"])
            return nil
        }
    }

    var watchesLeases: Bool { runtime.current.instance.store.isShared }

    func nextLeaseEnd() async -> Date? {
        do {
            return try await runtime.current.instance.store.nextLeaseEnd()
        } catch {
            logger.error("cannot read other instances' claims", metadata: ["error": "\(error)"])
            return Date().addingTimeInterval(60)
        }
    }

    func recoverLeases(now: Date) async -> Int {
        do {
            let requeued = try await runtime.current.instance.store.recoverInterruptedSends(now: now, all: false)
            if requeued > 0 {
                logger.warning("another instance stopped while sending; its emails go again", metadata: ["jobs": "\(requeued)"])
            }
            return requeued
        } catch {
            logger.error("cannot take back another instance's claims", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// The retention purge, with the current config; then the same time tomorrow.
    func housekeep(now: Date) async -> Date? {
        let instance = runtime.current.instance
        let purger = Purger(store: instance.store, config: instance.config)
        if instance.config.retention.personalDataDays == nil {
            logger.warning("[retention] personal_data_days is not set, so personal data is kept for ever; set it from the service's retention schedule")
        }
        do {
            let outcome = try await purger.run(now: now, dryRun: false, actor: "mdrsd")
            logger.notice("retention purge done", metadata: [
                "bookings": "\(outcome.report.bookings.count)", "rendered_copies": "\(outcome.report.renderedCopies)",
                "outbox_files": "\(outcome.outboxFiles)"])
        } catch {
            logger.error("the retention purge failed; trying again in an hour", metadata: ["error": "\(error)"])
            return now.addingTimeInterval(3600)
        }
        return purger.nextRun(after: now)
    }

    /// `STATUS=` after sending, at most every ten seconds (counted by SQL).
    private func reportStatus(_ parts: Runtime.Parts, now: Date) async {
        guard lastStatus.due(now), let line = await Self.status(parts.instance.store) else { return }
        notifier.notify(["STATUS=\(line)"])
    }

    /// The `STATUS=` line: how many emails wait and when the next is due.
    static func status(_ store: any MDRSStore) async -> String? {
        guard let counts = try? await store.counts(), let next = try? await store.nextDue() as Date?? else { return nil }
        let waiting = counts.filter { JobState.waiting.contains($0.key) }.values.reduce(0, +)
        return "ready; \(waiting) emails pending, " + (next.map { "next due \(LocalDateTime.iso8601($0, zoneID: "UTC"))" } ?? "none due")
    }
}

/// Lets `STATUS=` through at most every ten seconds.
final class StatusThrottle: Sendable {
    private let last = Mutex<Date>(.distantPast)

    func due(_ now: Date) -> Bool {
        last.withLock { last in
            guard now.timeIntervalSince(last) >= 10 || now < last else { return false }
            last = now
            return true
        }
    }
}
