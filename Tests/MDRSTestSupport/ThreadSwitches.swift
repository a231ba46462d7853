public import Foundation

/// Context switches of every thread of a running process, from
/// `/proc/PID/task/*/status`: what a process that claims to sleep costs the
/// machine, not what one of its loops counts of itself.
public struct ThreadSwitches: Sendable {
    /// The process watched.
    public let pid: Int32

    /// Watches `pid`.
    public init(pid: Int32) { self.pid = pid }

    /// Each thread's context switches so far, voluntary and not, by
    /// thread id and name ("1234 NIO-SGLTN-1-#0").
    public var now: [String: Int] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var counts: [String: Int] = [:]
        for task in tasks {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8)) ?? ""
            let name = status.split(separator: "\n").first { $0.hasPrefix("Name:") }?.dropFirst(5).trimmingCharacters(in: .whitespaces) ?? ""
            counts["\(task) \(name)"] = status.split(separator: "\n").filter { $0.contains("ctxt_switches") }
                .compactMap { Int($0.split(separator: "\t").last?.trimmingCharacters(in: .whitespaces) ?? "") }.reduce(0, +)
        }
        return counts
    }

    /// Context switches of every thread over `seconds`, sampled every 100 ms
    /// so a thread that ends in between is counted up to its last sample and
    /// one that starts is counted whole.
    public func over(seconds: Double) async throws -> Int {
        try await byThread(over: seconds).values.reduce(0, +)
    }

    /// Each thread's context switches over `seconds`, by thread id.
    public func byThread(over seconds: Double) async throws -> [String: Int] {
        try await timeline(over: seconds).switches
    }

    /// Each thread's context switches over `seconds`, and when (seconds
    /// into the span, to the 100 ms sample) each thread was seen to switch.
    public func timeline(over seconds: Double) async throws -> (switches: [String: Int], seen: [(at: Double, thread: String)]) {
        var first = now, last = first
        var seen: [(at: Double, thread: String)] = []
        let start = Date(), end = start.addingTimeInterval(seconds)
        while Date() < end {
            try await Task.sleep(for: .milliseconds(100))
            for (thread, count) in now {
                if first[thread] == nil { first[thread] = 0 }
                if count != last[thread] { seen.append((Date().timeIntervalSince(start), thread)) }
                last[thread] = count
            }
        }
        return (last.reduce(into: [:]) { $0[$1.key] = $1.value - (first[$1.key] ?? 0) }, seen)
    }
}
