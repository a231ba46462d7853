import Foundation
import Logging
import TimerWheel

/// Keeps every pending job on the timer wheel and sleeps until the wheel's
/// next deadline, and not otherwise: no polling, no ticks while idle.
///
/// The store is the truth; the scheduler only indexes job ids by due time.
/// Due jobs are handed to `run` one by one in deadline order, with the
/// source's time (real or virtual); `run` does the work and returns when to
/// run the job again (a retry), or `nil`.
public actor Scheduler {
    private var wheel: TimerWheel<Int64>
    private var handles: [Int64: TimerHandle] = [:]
    private let source: any WakeSource
    private let run: @Sendable (Int64, Date) async -> Date?
    private let logger: Logger
    private var stopping = false
    /// How many times the loop woke from its sleep, for tests and `STATUS=`.
    public private(set) var wakeUps = 0

    /// A heartbeat for systemd's watchdog: called from the loop at least every
    /// `interval` seconds. Only with a watchdog does an idle loop wake.
    private let heartbeat: (interval: Int64, beat: @Sendable () -> Void)?
    /// Told, after a batch, how many jobs wait and when the next is due.
    private let afterBatch: (@Sendable (_ waiting: Int, _ nextDue: Int64?) -> Void)?

    public init(source: any WakeSource, logger: Logger, heartbeat: (interval: Int64, beat: @Sendable () -> Void)? = nil,
                afterBatch: (@Sendable (_ waiting: Int, _ nextDue: Int64?) -> Void)? = nil,
                run: @escaping @Sendable (_ job: Int64, _ now: Date) async -> Date?) {
        self.source = source
        self.wheel = TimerWheel(now: source.now())
        self.run = run
        self.logger = logger
        self.heartbeat = heartbeat
        self.afterBatch = afterBatch
    }

    /// Puts a job on the wheel (or moves it, if it is there already).
    public func schedule(_ job: Int64, at due: Date) {
        schedule([(job, due)])
    }

    /// Puts many jobs on the wheel at once (start-up, a large booking file):
    /// room is reserved once and the loop is woken once.
    public func schedule(_ jobs: [(job: Int64, due: Date)]) {
        wheel.reserveCapacity(wheel.count + jobs.count)
        for (job, due) in jobs {
            if let old = handles[job] { wheel.cancel(old) }
            handles[job] = wheel.schedule(at: Int64(due.timeIntervalSince1970.rounded(.up)), job)
        }
        if !jobs.isEmpty { source.kick() }
    }

    /// The next due time, epoch seconds.
    public func nextDue() -> Int64? { wheel.nextDeadline }

    /// How many jobs are on the wheel.
    public var waiting: Int { wheel.count }

    /// Ends ``runLoop()`` after the batch in hand.
    public func stop() {
        stopping = true
        source.kick()
    }

    /// Runs until ``stop()``: fire what is due, then sleep until the next
    /// deadline, a clock step or a kick.
    public func runLoop() async {
        while !stopping {
            var due: [Int64] = []
            wheel.advance(to: source.now()) { _, job in due.append(job) }
            for job in due { handles[job] = nil }
            for job in due {
                if let again = await run(job, source.date()) { schedule(job, at: again) }
            }
            if stopping { break }
            if !due.isEmpty { afterBatch?(wheel.count, wheel.nextDeadline) }
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
}
