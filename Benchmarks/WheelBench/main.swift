// wheel-bench: the timer wheel against swift-collections' Heap on the same
// workload, in one process. The last line of output is one JSON object.
//
// Workload: n deadlines uniform over 30 days; cancel a random half in random
// order (cold: spread over a slab far larger than the caches); advance
// through every expiry, deadline by deadline. Hot cancel: with n timers
// pending, schedule a batch of 64 and cancel it at once, still in cache.
// Both structures reserve room for n up front (the daemon knows its pending
// count at start-up). The workload runs five times and each figure is the
// median, because this machine's memory latency drifts between runs.
// Everything runs inside functions: top-level variables are globals, whose
// every access pays a dynamic exclusivity check.
import Foundation
import HeapModule
import TimerWheel
import SeededRandom


@inline(never) func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

struct Workload {
    let n: Int
    let start: Int64 = 1_800_000_000
    let deadlines: [Int64]
    let cancelled: [Int]
    let isCancelled: [Bool]

    init(n: Int) {
        self.n = n
        var rng = SplitMix64(seed: 0x5EED)
        let start = self.start
        deadlines = (0..<n).map { _ in start + Int64.random(in: 1...(30 * 86_400), using: &rng) }
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        cancelled = Array(order.prefix(n / 2))
        var flags = [Bool](repeating: false, count: n)
        for id in cancelled { flags[id] = true }
        isCancelled = flags
    }
}

struct Timings {
    var schedule: UInt64 = 0, cancel: UInt64 = 0, expire: UInt64 = 0, fired = 0
    var total: Double { Double(schedule + cancel + expire) / 1e9 }
}

func runWheel(_ w: Workload) -> (Timings, bytesPerTimer: Double, maxAdvance: UInt64, early: Int, late: Int) {
    var t = Timings()
    var wheel = TimerWheel<UInt32>(now: w.start)
    wheel.reserveCapacity(w.n)
    var handles = [TimerHandle]()
    handles.reserveCapacity(w.n)
    var t0 = nanos()
    for id in 0..<w.n { handles.append(wheel.schedule(at: w.deadlines[id], UInt32(id))) }
    t.schedule = nanos() - t0
    let bytes = Double(wheel.footprintBytes) / Double(w.n)

    // The handles are gathered in cancel order first, so the timing is the
    // wheel's cancel and not the benchmark's own random look-up of a handle.
    let victims = w.cancelled.map { handles[$0] }
    t0 = nanos()
    for handle in victims { wheel.cancel(handle) }
    t.cancel = nanos() - t0

    // What fired, and when, is recorded in order and checked after the clock stops.
    var firings = [(id: UInt32, at: Int64)]()
    firings.reserveCapacity(w.n)
    var maxAdvance: UInt64 = 0
    t0 = nanos()
    while let next = wheel.nextDeadline {
        let a = nanos()
        wheel.advance(to: next) { _, id in firings.append((id, next)) }
        maxAdvance = max(maxAdvance, nanos() - a)
    }
    t.expire = nanos() - t0
    var early = 0, late = 0
    for firing in firings {
        let due = w.deadlines[Int(firing.id)]
        if due > firing.at || w.isCancelled[Int(firing.id)] { early += 1 } else if due < firing.at { late += 1 }
    }
    t.fired = firings.count
    return (t, bytes, maxAdvance, early, late)
}

func runHotCancel(_ w: Workload) -> Double {
    var wheel = TimerWheel<UInt32>(now: w.start)
    wheel.reserveCapacity(w.n)
    for id in 0..<w.n { wheel.schedule(at: w.deadlines[id], UInt32(id)) }
    let batch = 64, rounds = 20_000
    var handles = [TimerHandle]()
    handles.reserveCapacity(batch)
    var elapsed: UInt64 = 0
    for round in 0..<rounds {
        handles.removeAll(keepingCapacity: true)
        for i in 0..<batch { handles.append(wheel.schedule(at: w.deadlines[(round * batch + i) % w.n], UInt32(i))) }
        let a = nanos()
        for handle in handles { wheel.cancel(handle) }
        elapsed += nanos() - a
    }
    precondition(wheel.count == w.n)
    return Double(elapsed) / Double(batch * rounds)
}

struct Item: Comparable {
    var deadline: Int64
    var id: UInt32
    static func < (a: Item, b: Item) -> Bool { (a.deadline, a.id) < (b.deadline, b.id) }
}

/// The heap's best honest cancel: mark dead, skip at pop, purge dead tops so
/// its next deadline stays exact.
func runHeap(_ w: Workload) -> Timings {
    var t = Timings()
    var heap = Heap<Item>(minimumCapacity: w.n)
    var dead = [Bool](repeating: false, count: w.n)
    var t0 = nanos()
    for id in 0..<w.n { heap.insert(Item(deadline: w.deadlines[id], id: UInt32(id))) }
    t.schedule = nanos() - t0

    t0 = nanos()
    for id in w.cancelled {
        dead[id] = true
        while let top = heap.min, dead[Int(top.id)] { _ = heap.removeMin() }
    }
    t.cancel = nanos() - t0

    t0 = nanos()
    while let top = heap.min {
        let now = top.deadline
        while let item = heap.min, item.deadline <= now {
            _ = heap.removeMin()
            if !dead[Int(item.id)] { t.fired += 1 }
        }
    }
    t.expire = nanos() - t0
    return t
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func main() {
    let n = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
    let runs = 5
    let workload = Workload(n: n)
    var samples: [String: [Double]] = [:]
    var early = 0, late = 0, fired = 0
    func per(_ total: UInt64, _ count: Int) -> Double { Double(total) / Double(count) }
    for _ in 0..<runs {
        let (wheel, bytes, maxAdvance, e, l) = runWheel(workload)
        let hot = runHotCancel(workload)
        let heap = runHeap(workload)
        precondition(heap.fired == wheel.fired, "heap fired \(heap.fired), wheel \(wheel.fired)")
        early += e
        late += l
        fired = wheel.fired
        let cancelled = workload.cancelled.count
        for (key, value) in [
            ("wheel_schedule_ns", per(wheel.schedule, n)), ("wheel_cancel_ns", per(wheel.cancel, cancelled)),
            ("wheel_cancel_hot_ns", hot), ("wheel_expire_ns", per(wheel.expire, wheel.fired)),
            ("heap_schedule_ns", per(heap.schedule, n)), ("heap_cancel_ns", per(heap.cancel, cancelled)),
            ("heap_expire_ns", per(heap.expire, heap.fired)), ("wheel_total_s", wheel.total), ("heap_total_s", heap.total),
            ("ratio_total", wheel.total / heap.total), ("wheel_bytes_per_timer", bytes),
            ("max_advance_ms", Double(maxAdvance) / 1e6),
        ] { samples[key, default: []].append(value) }
    }
    func round(_ x: Double, _ places: Double) -> Double { (x * places).rounded() / places }
    let keys = ["wheel_schedule_ns", "wheel_cancel_ns", "wheel_cancel_hot_ns", "wheel_expire_ns", "heap_schedule_ns",
                "heap_cancel_ns", "heap_expire_ns", "wheel_total_s", "heap_total_s", "ratio_total",
                "wheel_bytes_per_timer", "max_advance_ms"]
    var fields = ["\"n\": \(n)"]
    for key in keys {
        let places: Double = key.hasSuffix("_s") ? 1e4 : key == "ratio_total" || key == "max_advance_ms" ? 1e3 : 10
        // max_advance_ms is the worst of all runs; the rest are medians.
        let value = key == "max_advance_ms" ? samples[key]!.max()! : median(samples[key]!)
        fields.append("\"\(key)\": \(round(value, places))")
    }
    fields += ["\"early\": \(early)", "\"late\": \(late)"]
    print("wheel-bench: \(n) timers over 30 days; cancelled \(workload.cancelled.count); fired \(fired); median of \(runs) runs")
    print("{" + fields.joined(separator: ", ") + "}")
}

main()
