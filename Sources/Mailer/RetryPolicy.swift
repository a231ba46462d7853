public import Foundation

/// When to try a transient failure again: exponential backoff with jitter,
/// capped, and never once the message has stopped being useful.
///
/// Postfix keeps a deferred message for days; a reminder is worthless after
/// the meeting it is about, so retries stop at `usefulUntil` and the
/// message becomes a dead letter for a person to deal with.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay before the second attempt.
    public var initialDelay: TimeInterval
    /// Longest delay between attempts.
    public var maximumDelay: TimeInterval
    /// Growth per attempt.
    public var multiplier: Double
    /// Each delay is drawn from ±`jitter` of itself (0.2 = ±20 %), so messages
    /// deferred together do not all return together.
    public var jitter: Double
    /// Attempts in all, the first included.
    public var maximumAttempts: Int

    public init(initialDelay: TimeInterval = 60, maximumDelay: TimeInterval = 3600, multiplier: Double = 2,
                jitter: Double = 0.2, maximumAttempts: Int = 10) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
        self.jitter = jitter
        self.maximumAttempts = maximumAttempts
    }

    /// The time of the next attempt after `attempts` failed ones, or `nil`
    /// when there should be none (attempts used up, or the next one would
    /// come at or after `usefulUntil`).
    public func nextAttempt(afterAttempts attempts: Int, now: Date, usefulUntil: Date?,
                            using random: inout some RandomNumberGenerator) -> Date? {
        guard attempts >= 1, attempts < maximumAttempts else { return nil }
        let base = min(initialDelay * pow(multiplier, Double(attempts - 1)), maximumDelay)
        let spread = base * jitter
        let delay = max(1, base + (spread > 0 ? Double.random(in: -spread...spread, using: &random) : 0))
        let next = now.addingTimeInterval(delay)
        if let usefulUntil, next >= usefulUntil { return nil }
        return next
    }
}
