#if canImport(Glibc)
public import Foundation
import Glibc

/// Tells systemd how the daemon is doing (`sd_notify(3)`'s protocol: one
/// datagram of `KEY=value` lines to the socket named by `NOTIFY_SOCKET`).
/// Without that variable, as outside systemd, it does nothing.
public struct SystemdNotifier: Sendable {
    private let path: String?
    /// Half the watchdog interval systemd asked for (`WATCHDOG_USEC`), in
    /// whole seconds, at least 1; `nil` without a watchdog.
    public let watchdogBeat: Int64?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        let pidMatches = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        watchdogBeat = environment["WATCHDOG_USEC"].flatMap(Int64.init).flatMap { usec in
            pidMatches && usec > 0 ? max(usec / 2_000_000, 1) : nil
        }
    }

    /// Sends `fields` (e.g. `READY=1`, `STATUS=…`); returns whether it went.
    @discardableResult
    public func notify(_ fields: [String]) -> Bool {
        guard let path else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // An abstract socket is written with a leading '@' and sent with a NUL.
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let message = Array(fields.joined(separator: "\n").utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, message, message.count, 0, $0, length) }
        }
        return sent == message.count
    }

    /// `CLOCK_MONOTONIC` in microseconds, as systemd wants with `RELOADING=1`.
    public static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
#endif
