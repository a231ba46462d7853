import Foundation
import LinuxPlatform
import Logging
import MDRSService
import MDRSTestSupport
import Store
import Synchronization
import Testing

@Suite struct SchedulerTests {
    /// Records what it runs; the store it reads slices from is a list.
    final class Handler: SchedulerHandler {
        let fired = Mutex<[Int64]>([])
        let stored: Mutex<[ScheduledJob]>
        let slices = Mutex<[Date]>([])
        let retry: @Sendable (Int64, Int) -> Date?
        let during: @Sendable () async -> Void

        init(stored: [ScheduledJob] = [], retry: @escaping @Sendable (Int64, Int) -> Date? = { _, _ in nil },
             during: @escaping @Sendable () async -> Void = {}) {
            self.stored = Mutex(stored)
            self.retry = retry
            self.during = during
        }

        var list: [Int64] { fired.withLock { $0 } }

        func run(_ job: Int64, now: Date) async -> Date? {
            let count = fired.withLock { $0.append(job); return $0.filter { $0 == job }.count }
            await during()
            return retry(job, count)
        }

        func jobs(dueBefore horizon: Date) async -> [ScheduledJob]? {
            slices.withLock { $0.append(horizon) }
            return stored.withLock { $0.filter { $0.due < horizon } }
        }
    }

    static func at(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    func start(_ source: any WakeSource, _ handler: Handler, horizon: TimeInterval = 86_400,
               jobs: [ScheduledJob] = []) async -> (Scheduler, Task<Void, Never>) {
        let scheduler = Scheduler(source: source, horizon: horizon, handler: handler, logger: Logger(label: "test"))
        let now = Self.at(source.now())
        await scheduler.load(jobs, horizonEnd: scheduler.horizonEnd(from: now))
        return (scheduler, Task { await scheduler.runLoop() })
    }

    @Test func idleWithManyPendingTimersNeverWakes() async throws {
        let source = try TimerFDWakeSource()
        let handler = Handler()
        let now = Date()
        // Ten thousand jobs, all at least an hour away.
        let jobs = (0..<10_000).map { ScheduledJob(id: Int64($0), due: now.addingTimeInterval(3600 + Double($0))) }
        let (scheduler, loop) = await start(source, handler, jobs: jobs)
        // The kicks from scheduling above add up in the eventfd: one wake-up.
        #expect(await TestEnvironment.eventually { await scheduler.wakeUps == 1 })
        let settled = await scheduler.wakeUps
        try await Task.sleep(for: .seconds(2))
        #expect(await scheduler.wakeUps == settled, "the scheduler woke while nothing was due")
        #expect(handler.list.isEmpty)
        #expect(await scheduler.nextDue() == Int64(now.addingTimeInterval(3600).timeIntervalSince1970.rounded(.up)))
        await scheduler.stop()
        await loop.value
    }

    @Test func realTimerFDFiresAtTheDeadline() async throws {
        let handler = Handler()
        let (scheduler, loop) = await start(try TimerFDWakeSource(), handler)
        await scheduler.schedule([ScheduledJob(id: 7, due: Date().addingTimeInterval(1))])
        #expect(await TestEnvironment.eventually { handler.list == [7] })
        await scheduler.stop()
        await loop.value
    }

    @Test func clockStepIsNoticedAndDueJobsRun() async throws {
        let source = ManualWakeSource(now: 1_800_000_000)
        let handler = Handler()
        let (scheduler, loop) = await start(source, handler, jobs: [ScheduledJob(id: 1, due: Self.at(1_800_003_600)),
                                                                   ScheduledJob(id: 2, due: Self.at(1_800_043_200))])
        #expect(await TestEnvironment.eventually { source.isWaiting })
        let before = await scheduler.wakeUps
        // An administrator sets the clock two hours forward: job 1 is due.
        source.step(to: 1_800_007_200)
        #expect(await TestEnvironment.eventually { handler.list == [1] })
        #expect(await scheduler.wakeUps == before + 1)
        // Stepping backwards fires nothing more; job 2 waits for its time.
        source.step(to: 1_799_990_000)
        #expect(await TestEnvironment.eventually { source.isWaiting })
        #expect(handler.list == [1])
        source.advance(to: 1_800_043_200)
        #expect(await TestEnvironment.eventually { handler.list == [1, 2] })
        await scheduler.stop()
        await loop.value
    }

    @Test func aRetryIsScheduledAgain() async throws {
        let source = ManualWakeSource(now: 1_800_000_000)
        let handler = Handler { _, count in count == 1 ? Self.at(1_800_000_600) : nil }
        let (scheduler, loop) = await start(source, handler, jobs: [ScheduledJob(id: 9, due: Self.at(1_800_000_000))])
        #expect(await TestEnvironment.eventually { handler.list == [9] && source.isWaiting })
        #expect(await scheduler.nextDue() == 1_800_000_600)
        source.advance(to: 1_800_000_600)
        #expect(await TestEnvironment.eventually { handler.list == [9, 9] })
        await scheduler.stop()
        await loop.value
    }

    @Test func jobsBeyondTheHorizonWaitInTheStoreUntilItReachesThem() async throws {
        let source = ManualWakeSource(now: 1_800_000_000)
        let far = ScheduledJob(id: 5, due: Self.at(1_800_000_000 + 30 * 3600))
        let handler = Handler(stored: [far])
        let (scheduler, loop) = await start(source, handler, horizon: 86_400)
        // Scheduling it (as ingest would) leaves it in the store: the wheel holds only the refill.
        await scheduler.schedule([far])
        #expect(await scheduler.waiting == 0)
        #expect(await scheduler.nextDue() == 1_800_086_400)
        // At the horizon the next slice is read, and the job fires on time.
        source.advance(to: 1_800_086_400)
        #expect(await TestEnvironment.eventually { await scheduler.waiting == 1 })
        #expect(handler.slices.withLock { $0 } == [Self.at(1_800_086_400 + 86_400)])
        source.advance(to: 1_800_000_000 + 30 * 3600)
        #expect(await TestEnvironment.eventually { handler.list == [5] })
        await scheduler.stop()
        await loop.value
    }

    @Test func aStopTakesNoNewJobAfterThoseInHand() async throws {
        let source = ManualWakeSource(now: 1_800_000_000)
        let holder = Mutex<Scheduler?>(nil)
        // SIGTERM arrives while the first job is being sent.
        let handler = Handler(during: { if let scheduler = holder.withLock({ $0 }) { await scheduler.stop() } })
        let scheduler = Scheduler(source: source, horizon: 86_400, handler: handler, logger: Logger(label: "test"))
        holder.withLock { $0 = scheduler }
        await scheduler.load((1...50).map { ScheduledJob(id: $0, due: Self.at(1_800_000_000)) }, horizonEnd: Self.at(1_800_086_400))
        await scheduler.runLoop()
        // The stop came during the first jobs: only those already in hand (four at once) ran.
        #expect((1...4).contains(handler.list.count), "\(handler.list.count) jobs ran")
    }

    @Test func theLoopCannotBeStartedTwice() async {
        await #expect(processExitsWith: .failure) {
            let source = ManualWakeSource(now: 1_800_000_000)
            let scheduler = Scheduler(source: source, horizon: 3600, handler: Handler(), logger: Logger(label: "test"))
            let first = Task { await scheduler.runLoop() }
            while !source.isWaiting { await Task.yield() }
            await scheduler.runLoop()
            first.cancel()
        }
    }
}
