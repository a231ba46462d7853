public import LinuxPlatform
public import Foundation
import Synchronization

/// A wake source for simulation: time jumps straight to each deadline, so a
/// week of the real scheduler runs in moments. At `end` it parks, and
/// ``finished()`` returns.
public final class VirtualClock: WakeSource, Sendable {
    private struct State {
        var now: Int64
        var parked: CheckedContinuation<Wake, Never>?
        var kicked = false
        var atEnd = false
        var watchers: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>
    /// Where the clock stops, epoch seconds.
    public let end: Int64

    /// A clock at `start` that runs no further than `end`.
    public init(from start: Date, to end: Date) {
        state = Mutex(State(now: Int64(start.timeIntervalSince1970)))
        self.end = Int64(end.timeIntervalSince1970)
    }

    public func now() -> Int64 { state.withLock { $0.now } }

    public func wait(until deadline: Int64?) async -> Wake {
        await withCheckedContinuation { continuation in
            let (wake, watchers): (Wake?, [CheckedContinuation<Void, Never>]) = state.withLock { s in
                if s.kicked { s.kicked = false; return (.kicked, []) }
                if let deadline, deadline <= end {
                    s.now = max(s.now, deadline)
                    return (.deadline, [])
                }
                s.now = end
                s.atEnd = true
                s.parked = continuation
                defer { s.watchers = [] }
                return (nil, s.watchers)
            }
            if let wake { continuation.resume(returning: wake) }
            for watcher in watchers { watcher.resume() }
        }
    }

    public func kick() {
        let parked: CheckedContinuation<Wake, Never>? = state.withLock { s in
            guard let parked = s.parked else { s.kicked = true; return nil }
            s.parked = nil
            return parked
        }
        parked?.resume(returning: .kicked)
    }

    /// Returns once the clock has reached `end` with nothing due before it.
    public func finished() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { s in
                if s.atEnd { return true }
                s.watchers.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
