import Testing
@testable import TimerWheel

@Suite struct TimerWheelTests {
    let start: Int64 = 1_800_000_000

    @Test func firesExactlyAtItsSecond() {
        var wheel = TimerWheel<String>(now: start)
        wheel.schedule(at: start + 90, "a")
        #expect(wheel.advance(to: start + 89).isEmpty)
        let fired = wheel.advance(to: start + 90)
        #expect(fired.map(\.payload) == ["a"])
        #expect(fired.map(\.deadline) == [start + 90])
        #expect(wheel.count == 0)
    }

    @Test func dueInThePastOrNowFiresOnNextAdvance() {
        var wheel = TimerWheel<Int>(now: start)
        wheel.schedule(at: start - 3600, 1)
        wheel.schedule(at: start, 2)
        wheel.schedule(at: start - 7200, 3)
        #expect(wheel.nextDeadline == start)
        let fired = wheel.advance(to: start)
        #expect(fired.map(\.payload) == [3, 1, 2])
        #expect(fired.map(\.deadline) == [start - 7200, start - 3600, start])
    }

    @Test func staleHandleCancelIsANoOp() {
        var wheel = TimerWheel<Int>(now: start)
        let first = wheel.schedule(at: start + 5, 1)
        #expect(wheel.cancel(first) == 1)
        let reused = wheel.schedule(at: start + 6, 2)
        #expect(wheel.cancel(first) == nil)
        #expect(wheel.count == 1)
        #expect(wheel.advance(to: start + 6).map(\.payload) == [2])
        #expect(wheel.cancel(reused) == nil)
    }

    @Test(arguments: [1, 63, 64, 65, 4095, 4096, 4097, 262_143, 262_144, 16_777_216, 1 << 30, 1 << 36])
    func levelBoundaries(offset: Int64) {
        // Align now to a 64^4 boundary so offsets straddle every level edge.
        let aligned = (start >> 24) << 24
        for base in [aligned, aligned - 1, aligned + 1] {
            var wheel = TimerWheel<Int64>(now: base)
            wheel.schedule(at: base + offset, offset)
            #expect(wheel.nextDeadline != nil)
            #expect(wheel.advance(to: base + offset - 1).isEmpty, "early at offset \(offset)")
            #expect(wheel.advance(to: base + offset).map(\.deadline) == [base + offset], "late at offset \(offset)")
        }
    }

    @Test func farFutureBeyondAnyRealHorizon() {
        var wheel = TimerWheel<Int>(now: start)
        let far = Int64.max - 10
        wheel.schedule(at: far, 7)
        #expect(wheel.nextDeadline == far)
        #expect(wheel.advance(to: far - 1).isEmpty)
        #expect(wheel.advance(to: far).map(\.payload) == [7])
    }

    @Test func clockSteppingBackwardsNeverMovesNowBack() {
        var wheel = TimerWheel<Int>(now: start)
        wheel.schedule(at: start + 100, 1)
        _ = wheel.advance(to: start + 50)
        #expect(wheel.advance(to: start - 1000).isEmpty)
        #expect(wheel.now == start + 50)
        #expect(wheel.advance(to: start + 99).isEmpty)
        #expect(wheel.advance(to: start + 100).map(\.payload) == [1])
    }

    @Test func nextDeadlineIsTheEarliest() {
        var wheel = TimerWheel<Int>(now: start)
        #expect(wheel.nextDeadline == nil)
        let a = wheel.schedule(at: start + 10_000, 1)
        wheel.schedule(at: start + 70, 2)
        wheel.schedule(at: start + 5_000_000, 3)
        #expect(wheel.nextDeadline == start + 70)
        _ = wheel.advance(to: start + 70)
        #expect(wheel.nextDeadline == start + 10_000)
        wheel.cancel(a)
        #expect(wheel.nextDeadline == start + 5_000_000)
    }

    @Test func cancelledPayloadIsReleased() {
        final class Box {}
        weak var weakBox: Box?
        var wheel = TimerWheel<Box>(now: start)
        do {
            let box = Box()
            weakBox = box
            let handle = wheel.schedule(at: start + 60, box)
            wheel.cancel(handle)
        }
        #expect(weakBox == nil)
    }
}

@Suite struct TimerWheelCapacityTests {
    @Test func reservingBeforeEverySmallBatchGrowsGeometrically() {
        var wheel = TimerWheel<Int>(now: 1_800_000_000)
        var capacities = Set<Int>()
        for batch in 0..<1_000 {
            wheel.reserveCapacity(wheel.count + 3)
            for k in 0..<3 { wheel.schedule(at: 1_800_000_100 + Int64(batch), batch * 3 + k) }
            capacities.insert(wheel.entries.capacity)
        }
        #expect(wheel.count == 3_000)
        // Exact-size growth would reallocate the slab ~1,000 times; doubling about a dozen.
        #expect(capacities.count < 20, "\(capacities.count) slab reallocations")
    }
}
