public import Foundation

/// Why a scheduler's sleep ended.
public enum Wake: Sendable, Equatable {
    /// The deadline it slept until has come.
    case deadline
    /// The wall clock was stepped (set by hand, NTP step, suspend): what is
    /// due must be re-evaluated against the new time.
    case clockChanged
    /// Someone asked it to look again (new jobs, shutdown).
    case kicked
}

/// The scheduler's clock and its way to sleep. Production uses
/// ``TimerFDWakeSource``; tests drive a manual one to travel in time.
public protocol WakeSource: Sendable {
    /// The current wall-clock time, UTC epoch seconds.
    func now() -> Int64
    /// Sleeps until `deadline` (epoch seconds), a clock step, or a kick;
    /// with `nil` it sleeps until a kick only, never waking by itself.
    func wait(until deadline: Int64?) async -> Wake
    /// Ends a current or the next wait with ``Wake/kicked``.
    func kick()
    /// The current time as a `Date`; by default ``now()`` to the second.
    func date() -> Date
}

extension WakeSource {
    /// The current time as a `Date`, to the second.
    public func date() -> Date { Date(timeIntervalSince1970: TimeInterval(now())) }
}
