public import Foundation
public import LinuxPlatform
public import Logging
public import Store
import TimerWheel

/// What the scheduler calls when something on its wheel falls due.
public protocol SchedulerHandler: Sendable {
    /// Does the work of a due job; returns when to run it again (a retry,
    /// a job held for the morning), or `nil`.
    func run(_ job: Int64, now: Date) async -> Date?
    /// The waiting jobs due before `horizon`, read from the store; `nil`
    /// when the store cannot answer now (the scheduler asks again shortly).
    func jobs(dueBefore horizon: Date) async -> [ScheduledJob]?
    /// The daily housekeeping (the retention purge); returns when to run it
    /// next, or `nil`.
    func housekeep(now: Date) async -> Date?
    /// Whether other instances send from the same store, so their claims
    /// must be watched: one that dies loses its claims when their leases end.
    var watchesLeases: Bool { get }
    /// When the first lease of another instance's claim ends, if any.
    func nextLeaseEnd() async -> Date?
    /// Takes back other instances' claims whose lease has ended; returns
    /// how many went back in the queue.
    func recoverLeases(now: Date) async -> Int
}

extension SchedulerHandler {
    /// No housekeeping.
    public func housekeep(now: Date) async -> Date? { nil }
    /// Alone on its store.
    public var watchesLeases: Bool { false }
    public func nextLeaseEnd() async -> Date? { nil }
    public func recoverLeases(now: Date) async -> Int { 0 }
}

/// Holds the jobs due within a horizon (say a day) on a timer wheel and
/// sleeps until the wheel's next deadline, and not otherwise: no polling,
/// no ticks while idle. The store is the truth; later jobs wait there, and
/// a refill entry at the horizon's edge reads the next slice.
public actor Scheduler {
    private enum Entry: Sendable { case job(Int64), refill, housekeeping, leases }
    private enum State { case idle, running, stopping, stopped }

    private var wheel: TimerWheel<Entry>
    private var handles: [Int64: TimerHandle] = [:]
    private var refillHandle: TimerHandle?
    private var housekeepingHandle: TimerHandle?
    /// The check of other instances' leases, and when it is due.
    private var leaseCheck: (handle: TimerHandle, at: Int64)?
    private let source: any WakeSource
    private let handler: any SchedulerHandler
    private let logger: Logger
    private var state = State.idle
    /// Jobs due before this instant (epoch seconds) are on the wheel.
    private var horizonEnd: Int64
    private let horizon: Int64
    /// How many times the loop woke from its sleep, for tests.
    public private(set) var wakeUps = 0
    /// How many due jobs run at once.
    private let concurrency: Int
    /// Where jobs run side by side go, in turn (one per core); `nil`
    /// leaves it to the global executor.
    private let executors: [any TaskExecutor]?

    /// A heartbeat for systemd's watchdog: called from the loop at least every
    /// `interval` seconds. Only with a watchdog does an idle loop wake.
    private let heartbeat: (interval: Int64, beat: @Sendable () -> Void)?

    /// - Parameters:
    ///   - horizon: how far ahead jobs are held in memory.
    ///   - handler: runs due jobs and reads the next slice.
    ///   - concurrency: how many due jobs run at once.
    ///   - executors: where they run, in turn.
    public init(source: any WakeSource, horizon: TimeInterval, handler: any SchedulerHandler, logger: Logger,
                heartbeat: (interval: Int64, beat: @Sendable () -> Void)? = nil, concurrency: Int = 4,
                executors: [any TaskExecutor]? = nil) {
        self.source = source
        self.concurrency = max(concurrency, 1)
        self.executors = executors.flatMap { $0.isEmpty ? nil : $0 }
        let now = source.now()
        wheel = TimerWheel(now: now)
        self.horizon = max(Int64(horizon), 60)
        horizonEnd = now
        self.handler = handler
        self.logger = logger
        self.heartbeat = heartbeat
    }

    /// The end of the span held in memory.
    public var horizonDate: Date { Date(timeIntervalSince1970: TimeInterval(horizonEnd)) }

    /// Loads the first slice (`jobs`, read by the caller up to
    /// ``horizonEnd(from:)``) and arms the refill at its edge.
    public func load(_ jobs: [ScheduledJob], horizonEnd end: Date) {
        horizonEnd = Int64(end.timeIntervalSince1970)
        schedule(jobs)
        armRefill(at: horizonEnd)
    }

    /// Where the first slice should end, for a start at `now`.
    public nonisolated func horizonEnd(from now: Date) -> Date { now.addingTimeInterval(TimeInterval(horizon)) }

    /// Puts jobs on the wheel (or moves those there already); jobs due
    /// beyond the horizon stay in the store. The loop is woken once.
    public func schedule(_ jobs: [ScheduledJob]) {
        var added = false
        wheel.reserveCapacity(wheel.count + jobs.count)
        for job in jobs {
            if let old = handles.removeValue(forKey: job.id) { _ = wheel.cancel(old) }
            let due = Int64(job.due.timeIntervalSince1970.rounded(.up))
            guard due < horizonEnd else { continue }
            handles[job.id] = wheel.schedule(at: due, .job(job.id))
            added = true
        }
        if added { source.kick() }
    }

    /// Reads the current slice again (another process changed the store).
    public func reloadSlice() async {
        guard let jobs = await handler.jobs(dueBefore: horizonDate) else { return }
        schedule(jobs)
    }

    /// Puts the daily housekeeping on the wheel at `date` (now, at start-up).
    public func armHousekeeping(at date: Date) {
        if let housekeepingHandle { _ = wheel.cancel(housekeepingHandle) }
        housekeepingHandle = wheel.schedule(at: Int64(date.timeIntervalSince1970.rounded(.down)), .housekeeping)
        source.kick()
    }

    /// Arms the check of other instances' leases at `date`, unless one is
    /// armed sooner.
    public func watchLeases(until date: Date) {
        let at = Int64(date.timeIntervalSince1970.rounded(.up))
        if let leaseCheck {
            guard at < leaseCheck.at else { return }
            _ = wheel.cancel(leaseCheck.handle)
        }
        leaseCheck = (wheel.schedule(at: at, .leases), at)
        source.kick()
    }

    /// The next due time on the wheel, epoch seconds (a refill included).
    public func nextDue() -> Int64? { wheel.nextDeadline }

    /// How many jobs are on the wheel.
    public var waiting: Int { handles.count }

    /// Ends ``runLoop()`` after the job in hand: no new job is started.
    public func stop() {
        if state == .running || state == .idle { state = .stopping }
        source.kick()
    }

    /// Runs until ``stop()``: fire what is due, then sleep until the next
    /// deadline, a clock step or a kick. It may be run once.
    public func runLoop() async {
        precondition(state == .idle || state == .stopping, "the scheduler's loop is already running or has run")
        if state == .idle { state = .running }
        defer { state = .stopped }
        while state == .running {
            var due: [Entry] = []
            wheel.advance(to: source.now()) { _, entry in due.append(entry) }
            var jobs: [Int64] = []
            for entry in due {
                guard state == .running else { break }
                switch entry {
                case .job(let id):
                    handles[id] = nil
                    jobs.append(id)
                case .leases:
                    leaseCheck = nil
                    if await handler.recoverLeases(now: source.date()) > 0 { await reloadSlice() }
                    if let next = await handler.nextLeaseEnd() { watchLeases(until: next) }
                case .refill:
                    await refill()
                case .housekeeping:
                    housekeepingHandle = nil
                    if let next = await handler.housekeep(now: source.date()) { armHousekeeping(at: next) }
                }
            }
            if !jobs.isEmpty { await run(jobs) }
            guard state == .running else { break }
            // Jobs another instance held when they fell due: watch its leases.
            if !jobs.isEmpty && handler.watchesLeases, let next = await handler.nextLeaseEnd() { watchLeases(until: next) }
            var deadline = wheel.nextDeadline
            if let heartbeat {
                heartbeat.beat()
                deadline = min(deadline ?? .max, source.now() + heartbeat.interval)
            }
            let wake = await source.wait(until: deadline)
            wakeUps += 1
            if wake == .clockChanged {
                logger.notice("wall clock changed; re-evaluating due jobs", metadata: ["now": "\(source.now())"])
            }
        }
    }

    /// Runs due jobs, up to ``concurrency`` at once: one is rendered and
    /// checked against the store while another is with the relay. After a
    /// stop no new one starts; those in hand finish.
    private func run(_ jobs: [Int64]) async {
        let handler = self.handler, source = self.source, executors = self.executors
        var pending = jobs.makeIterator()
        var again: [ScheduledJob] = []
        var started = 0
        await withTaskGroup(of: ScheduledJob?.self) { group in
            func start(_ id: Int64) {
                let executor = executors.map { $0[started % $0.count] }
                started += 1
                group.addTask(executorPreference: executor) {
                    await handler.run(id, now: source.date()).map { ScheduledJob(id: id, due: $0) }
                }
            }
            for _ in 0..<concurrency {
                guard let id = pending.next() else { break }
                start(id)
            }
            for await result in group {
                if let result { again.append(result) }
                if state == .running, let id = pending.next() { start(id) }
            }
        }
        schedule(again)
    }

    /// Moves the horizon on a slice and reads the jobs in it. The horizon
    /// moves first, so a job stored while the store is read is kept.
    private func refill() async {
        refillHandle = nil
        let target = max(horizonEnd, source.now()) + horizon
        let previous = horizonEnd
        horizonEnd = target
        guard let jobs = await handler.jobs(dueBefore: horizonDate) else {
            horizonEnd = previous
            logger.warning("cannot read the next jobs from the store; trying again in 30 seconds")
            armRefill(at: source.now() + 30)
            return
        }
        schedule(jobs)
        armRefill(at: horizonEnd)
    }

    private func armRefill(at when: Int64) {
        if let refillHandle { _ = wheel.cancel(refillHandle) }
        refillHandle = wheel.schedule(at: when, .refill)
    }
}
