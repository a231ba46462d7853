import DequeModule
public import Foundation

/// Keeps sending within a relay's limits, per minute and per day
/// (Microsoft 365 relays allow 30 messages a minute). Exact over sliding
/// windows: it remembers when each message of the last day went.
public struct RateLimiter: Sendable {
    public var perMinute: Int?
    public var perDay: Int?
    private var sent: Deque<Date> = []

    /// `nil` means no limit.
    public init(perMinute: Int?, perDay: Int?) {
        self.perMinute = perMinute
        self.perDay = perDay
    }

    /// How long to wait before the next message may go; 0 when it may go now.
    public mutating func delay(now: Date) -> TimeInterval {
        while let first = sent.first, now.timeIntervalSince(first) >= 86_400 { sent.removeFirst() }
        var wait: TimeInterval = 0
        if let perDay, sent.count >= perDay {
            wait = max(wait, sent[sent.count - perDay].addingTimeInterval(86_400).timeIntervalSince(now))
        }
        if let perMinute {
            let recent = sent.reversed().prefix { now.timeIntervalSince($0) < 60 }
            if recent.count >= perMinute {
                let oldestCounted = Array(recent)[perMinute - 1]
                wait = max(wait, oldestCounted.addingTimeInterval(60).timeIntervalSince(now))
            }
        }
        return max(wait, 0)
    }

    /// Notes that a message went at `now`.
    public mutating func record(now: Date) {
        sent.append(now)
    }
}
