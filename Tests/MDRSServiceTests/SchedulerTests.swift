import Foundation
import MDRSTestSupport
import Logging
import MDRSService
import Synchronization
import Testing

@Suite struct SchedulerTests {
    final class Fired: Sendable {
        let jobs = Mutex<[Int64]>([])
        var list: [Int64] { jobs.withLock { $0 } }
    }

    /// A scheduler that records the jobs it runs and asks for no retries.
    func recordingScheduler(_ source: any WakeSource) -> (Scheduler, Fired) {
        let fired = Fired()
        let scheduler = Scheduler(source: source, logger: Logger(label: "test")) { job, _ in
            fired.jobs.withLock { $0.append(job) }
            return nil
        }
        return (scheduler, fired)
    }

    func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<400 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    @Test func idleWithManyPendingTimersNeverWakes() async throws {
        let source = try TimerFDWakeSource()
        let (scheduler, fired) = recordingScheduler(source)
        let now = Date()
        // Ten thousand jobs, all at least an hour away.
        for job in 0..<10_000 { await scheduler.schedule(Int64(job), at: now.addingTimeInterval(3600 + Double(job))) }
        let loop = Task { await scheduler.runLoop() }
        // The kicks from scheduling above add up in the eventfd: one wake-up.
        #expect(await eventually { await scheduler.wakeUps == 1 })
        let settled = await scheduler.wakeUps
        try await Task.sleep(for: .seconds(2))
        #expect(await scheduler.wakeUps == settled, "the scheduler woke while nothing was due")
        #expect(fired.list.isEmpty)
        #expect(await scheduler.nextDue() == Int64(now.addingTimeInterval(3600).timeIntervalSince1970.rounded(.up)))
        await scheduler.stop()
        await loop.value
    }

    @Test func realTimerFDFiresAtTheDeadline() async throws {
        let source = try TimerFDWakeSource()
        let (scheduler, fired) = recordingScheduler(source)
        let loop = Task { await scheduler.runLoop() }
        await scheduler.schedule(7, at: Date().addingTimeInterval(1))
        #expect(await eventually { fired.list == [7] })
        await scheduler.stop()
        await loop.value
    }

    @Test func clockStepIsNoticedAndDueJobsRun() async throws {
        let source = ManualWakeSource(now: 1_800_000_000)
        let (scheduler, fired) = recordingScheduler(source)
        await scheduler.schedule(1, at: Date(timeIntervalSince1970: 1_800_003_600))
        await scheduler.schedule(2, at: Date(timeIntervalSince1970: 1_800_086_400))
        let loop = Task { await scheduler.runLoop() }
        #expect(await eventually { source.isWaiting })
        let before = await scheduler.wakeUps
        // An administrator sets the clock two hours forward: job 1 is due.
        source.step(to: 1_800_007_200)
        #expect(await eventually { fired.list == [1] })
        #expect(await scheduler.wakeUps == before + 1)
        // Stepping backwards fires nothing more; job 2 waits for its time.
        source.step(to: 1_799_990_000)
        #expect(await eventually { source.isWaiting })
        #expect(fired.list == [1])
        source.advance(to: 1_800_086_400)
        #expect(await eventually { fired.list == [1, 2] })
        await scheduler.stop()
        await loop.value
    }

    @Test func aRetryIsScheduledAgain() async throws {
        let source = ManualWakeSource(now: 1_800_000_000)
        let attempts = Fired()
        let scheduler = Scheduler(source: source, logger: Logger(label: "test")) { job, _ in
            let count = attempts.jobs.withLock { $0.append(job); return $0.count }
            return count == 1 ? Date(timeIntervalSince1970: 1_800_000_600) : nil
        }
        await scheduler.schedule(9, at: Date(timeIntervalSince1970: 1_800_000_000))
        let loop = Task { await scheduler.runLoop() }
        #expect(await eventually { attempts.list == [9] && source.isWaiting })
        #expect(await scheduler.nextDue() == 1_800_000_600)
        source.advance(to: 1_800_000_600)
        #expect(await eventually { attempts.list == [9, 9] })
        await scheduler.stop()
        await loop.value
    }
}
