import Foundation
import MDRSTestSupport
import LinuxPlatform
import MDRSService
import Synchronization

/// A wake source whose clock the test sets. `wait` returns when the test
/// advances past the deadline, steps the clock, or kicks it.
final class ManualWakeSource: WakeSource, Sendable {
    private struct State {
        var now: Int64
        var waiter: CheckedContinuation<Wake, Never>?
        var deadline: Int64?
        var pendingKick = false
        var waits = 0
    }
    private let state: Mutex<State>

    init(now: Int64) { state = Mutex(State(now: now)) }

    func now() -> Int64 { state.withLock { $0.now } }
    var waits: Int { state.withLock { $0.waits } }
    var isWaiting: Bool { state.withLock { $0.waiter != nil } }

    func wait(until deadline: Int64?) async -> Wake {
        await withCheckedContinuation { continuation in
            let resume: Wake? = state.withLock { s in
                s.waits += 1
                if s.pendingKick { s.pendingKick = false; return .kicked }
                if let deadline, deadline <= s.now { return .deadline }
                s.waiter = continuation
                s.deadline = deadline
                return nil
            }
            if let resume { continuation.resume(returning: resume) }
        }
    }

    func kick() { wake(.kicked) { _ in } }

    /// Moves time forward; wakes the sleeper if its deadline has come.
    func advance(to time: Int64) {
        let waiter: CheckedContinuation<Wake, Never>? = state.withLock { s in
            s.now = time
            guard let deadline = s.deadline, deadline <= time, let waiter = s.waiter else { return nil }
            s.waiter = nil
            s.deadline = nil
            return waiter
        }
        waiter?.resume(returning: .deadline)
    }

    /// Steps the wall clock (either way) as an administrator or NTP would.
    func step(to time: Int64) { wake(.clockChanged) { $0.now = time } }

    private func wake(_ reason: Wake, _ change: (inout State) -> Void) {
        let waiter: CheckedContinuation<Wake, Never>? = state.withLock { s in
            change(&s)
            guard let waiter = s.waiter else {
                if reason == .kicked { s.pendingKick = true }
                return nil
            }
            s.waiter = nil
            s.deadline = nil
            return waiter
        }
        waiter?.resume(returning: reason)
    }
}
