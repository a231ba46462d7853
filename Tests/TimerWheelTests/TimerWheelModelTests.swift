import Testing
@testable import TimerWheel
import SeededRandom

/// Seeded random sequences of schedule / cancel / advance, checked step by
/// step against ``ReferenceModel``.
@Suite struct TimerWheelModelTests {

    /// Same fire set, same deadline order; timers due in the same second may
    /// fire in any order, so ties are compared as sets.
    func expectSameFirings(_ fired: [(deadline: Int64, payload: Int)], _ expected: [(deadline: Int64, id: Int)],
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fired.map(\.deadline) == expected.map(\.deadline), sourceLocation: sourceLocation)
        let canonical = { (pairs: [(Int64, Int)]) in pairs.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.1) }
        #expect(canonical(fired.map { ($0.deadline, $0.payload) }) == canonical(expected.map { ($0.deadline, $0.id) }),
                sourceLocation: sourceLocation)
    }

    @Test(arguments: 0..<40)
    func randomSequenceMatchesReference(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let start = Int64.random(in: 1_700_000_000...1_900_000_000, using: &rng)
        var wheel = TimerWheel<Int>(now: start)
        var model = ReferenceModel(now: start)
        var handles: [Int: TimerHandle] = [:]
        var staleHandles: [TimerHandle] = []
        var nextID = 0
        // Spans from seconds to years, so every level and cascade is exercised.
        let spans: [Int64] = [5, 70, 5_000, 300_000, 20_000_000, 3_000_000_000]
        for _ in 0..<3_000 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                let span = spans.randomElement(using: &rng)!
                let deadline = wheel.now + Int64.random(in: -span / 10...span, using: &rng)
                handles[nextID] = wheel.schedule(at: deadline, nextID)
                model.schedule(nextID, at: deadline)
                nextID += 1
            case 5..<7:
                guard let id = handles.keys.randomElement(using: &rng) else { continue }
                let expected = model.cancel(id)
                #expect((wheel.cancel(handles[id]!) != nil) == expected)
                staleHandles.append(handles[id]!)
                handles[id] = nil
            case 7:
                // Stale handles and steps backwards change nothing but overdue timers.
                if let stale = staleHandles.randomElement(using: &rng) {
                    #expect(wheel.cancel(stale) == nil)
                }
                let back = wheel.now - Int64.random(in: 1...10_000, using: &rng)
                let fired = wheel.advance(to: back)
                let expected = model.advance(to: back)
                expectSameFirings(fired, expected)
                for item in fired { handles[item.payload] = nil }
            default:
                #expect(wheel.nextDeadline == model.nextDeadline)
                let span = spans.randomElement(using: &rng)!
                let target = wheel.now + Int64.random(in: 0...span, using: &rng)
                let fired = wheel.advance(to: target)
                let expected = model.advance(to: target)
                expectSameFirings(fired, expected)
                for item in fired { handles[item.payload] = nil }
            }
            #expect(wheel.count == handles.count)
        }
        // Drain: stepping deadline to deadline fires everything exactly on time.
        while let next = wheel.nextDeadline {
            let nowBefore = wheel.now
            let fired = wheel.advance(to: next)
            let expected = model.advance(to: next)
            expectSameFirings(fired, expected)
            // Nothing later than the deadline asked for; anything earlier was
            // overdue (scheduled in the past), which only happens at `now`.
            #expect(fired.allSatisfy { $0.deadline == next || ($0.deadline < next && next == nowBefore) })
            if fired.isEmpty { Issue.record("next deadline \(next) fired nothing"); break }
        }
        #expect(model.nextDeadline == nil)
    }
}
