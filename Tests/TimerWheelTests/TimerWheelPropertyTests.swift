import PropertyBased
import Testing
import TimerWheel

/// Properties over generated inputs, with shrinking to a minimal failing
/// case: whatever the deadlines, draining the wheel deadline by deadline
/// fires every timer exactly at its second, in deadline order.
@Suite struct TimerWheelPropertyTests {
    static let start: Int64 = 1_800_000_000

    @Test func drainingFiresEachTimerExactlyOnTime() async {
        // Offsets from a minute to ten years, so every level takes part.
        let offsets = Gen.int64(in: -3_600...315_360_000).array(of: 1...300)
        await propertyCheck(input: offsets) { offsets in
            var wheel = TimerWheel<Int>(now: Self.start)
            for (id, offset) in offsets.enumerated() { wheel.schedule(at: Self.start + offset, id) }
            var fired: [(at: Int64, deadline: Int64, id: Int)] = []
            while let next = wheel.nextDeadline {
                for item in wheel.advance(to: next) { fired.append((next, item.deadline, item.payload)) }
            }
            #expect(fired.count == offsets.count)
            #expect(Set(fired.map(\.id)) == Set(offsets.indices))
            for item in fired {
                let due = Self.start + offsets[item.id]
                #expect(item.deadline == due)
                // On time, or at once when it was already overdue at the start.
                #expect(item.at == max(due, Self.start))
            }
            #expect(fired.map(\.deadline) == fired.map(\.deadline).sorted())
        }
    }

    @Test func cancellingAnySubsetFiresExactlyTheRest() async {
        let plan = Gen.int64(in: 1...40_000_000).array(of: 1...200)
        let mask = Gen.int(in: 0...1).array(of: 200)
        await propertyCheck(input: plan, mask) { offsets, mask in
            var wheel = TimerWheel<Int>(now: Self.start)
            let handles = offsets.enumerated().map { wheel.schedule(at: Self.start + $0.element, $0.offset) }
            var kept = Set(offsets.indices)
            for (id, handle) in handles.enumerated() where mask[id] == 1 {
                #expect(wheel.cancel(handle) == id)
                kept.remove(id)
            }
            var fired = Set<Int>()
            while let next = wheel.nextDeadline { for item in wheel.advance(to: next) { fired.insert(item.payload) } }
            #expect(fired == kept)
        }
    }
}
