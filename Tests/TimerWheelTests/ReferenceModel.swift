/// The obviously correct wheel the real one is checked against: a list of
/// pending timers, sorted on every advance.
struct ReferenceModel {
    struct Timer { var deadline: Int64; var id: Int; var seq: Int }
    private(set) var now: Int64
    private var pending: [Int: Timer] = [:]
    private var seq = 0

    init(now: Int64) { self.now = now }

    mutating func schedule(_ id: Int, at deadline: Int64) {
        pending[id] = Timer(deadline: max(deadline, 0), id: id, seq: seq)
        seq += 1
    }

    @discardableResult
    mutating func cancel(_ id: Int) -> Bool { pending.removeValue(forKey: id) != nil }

    var nextDeadline: Int64? {
        guard let earliest = pending.values.map(\.deadline).min() else { return nil }
        return max(earliest, now)
    }

    mutating func advance(to target: Int64) -> [(deadline: Int64, id: Int)] {
        let due = pending.values.filter { $0.deadline <= max(target, now) }
            .sorted { ($0.deadline, $0.seq) < ($1.deadline, $1.seq) }
        for timer in due { pending[timer.id] = nil }
        now = max(now, target)
        return due.map { ($0.deadline, $0.id) }
    }
}
