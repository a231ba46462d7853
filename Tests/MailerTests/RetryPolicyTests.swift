import Foundation
import Mailer
import Testing

@Suite struct RetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func backsOffExponentiallyWithinTheJitterAndTheCap() {
        let policy = RetryPolicy(initialDelay: 60, maximumDelay: 3600, multiplier: 2, jitter: 0.2, maximumAttempts: 20)
        var random = SystemRandomNumberGenerator()
        for attempts in 1...12 {
            let base = min(60 * pow(2, Double(attempts - 1)), 3600)
            for _ in 0..<50 {
                let next = policy.nextAttempt(afterAttempts: attempts, now: now, usefulUntil: nil, using: &random)!
                let delay = next.timeIntervalSince(now)
                #expect(delay >= base * 0.8 - 0.001 && delay <= base * 1.2 + 0.001, "attempt \(attempts): \(delay)")
            }
        }
    }

    @Test func jitterSpreadsMessagesDeferredTogether() {
        let policy = RetryPolicy()
        var random = SystemRandomNumberGenerator()
        let times = Set((0..<20).map { _ in policy.nextAttempt(afterAttempts: 3, now: now, usefulUntil: nil, using: &random)! })
        #expect(times.count > 10)
    }

    @Test func neverRetriesAtOrAfterTheEvent() {
        let policy = RetryPolicy(initialDelay: 600, jitter: 0)
        var random = SystemRandomNumberGenerator()
        #expect(policy.nextAttempt(afterAttempts: 1, now: now, usefulUntil: now.addingTimeInterval(601), using: &random) != nil)
        #expect(policy.nextAttempt(afterAttempts: 1, now: now, usefulUntil: now.addingTimeInterval(600), using: &random) == nil)
        #expect(policy.nextAttempt(afterAttempts: 1, now: now, usefulUntil: now.addingTimeInterval(-1), using: &random) == nil)
    }

    @Test func stopsAfterTheLastAttempt() {
        let policy = RetryPolicy(maximumAttempts: 3)
        var random = SystemRandomNumberGenerator()
        #expect(policy.nextAttempt(afterAttempts: 2, now: now, usefulUntil: nil, using: &random) != nil)
        #expect(policy.nextAttempt(afterAttempts: 3, now: now, usefulUntil: nil, using: &random) == nil)
    }
}

@Suite struct RateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func thirtyAMinuteThenWaitForTheWindow() {
        var limiter = RateLimiter(perMinute: 30, perDay: nil)
        for n in 0..<30 {
            let at = start.addingTimeInterval(Double(n))
            #expect(limiter.delay(now: at) == 0)
            limiter.record(now: at)
        }
        // The 31st, at second 30, waits until the first is a minute old.
        #expect(limiter.delay(now: start.addingTimeInterval(30)) == 30)
        #expect(limiter.delay(now: start.addingTimeInterval(60)) == 0)
    }

    @Test func perDayLimitHoldsOverAWholeDay() {
        var limiter = RateLimiter(perMinute: nil, perDay: 3)
        for n in 0..<3 { limiter.record(now: start.addingTimeInterval(Double(n) * 3600)) }
        #expect(limiter.delay(now: start.addingTimeInterval(4 * 3600)) == 20 * 3600)
        #expect(limiter.delay(now: start.addingTimeInterval(86_400)) == 0)
    }

    @Test func noLimitsNeverWait() {
        var limiter = RateLimiter(perMinute: nil, perDay: nil)
        for _ in 0..<1000 { limiter.record(now: start) }
        #expect(limiter.delay(now: start) == 0)
    }
}
