#if canImport(Glibc)
import CLinuxEvents
public import Foundation
import Glibc

/// Sleeps on a Linux `timerfd` on `CLOCK_REALTIME`, armed with an absolute
/// deadline and `TFD_TIMER_CANCEL_ON_SET`, so a step of the wall clock ends
/// the sleep with `ECANCELED` and the scheduler re-evaluates. With nothing
/// pending the timer is disarmed and only a kick (an `eventfd`) wakes it:
/// an idle daemon costs no wake-ups at all.
///
/// The blocking `poll` runs on a queue of its own, never on Swift's
/// cooperative threads.
public final class TimerFDWakeSource: WakeSource, @unchecked Sendable {
    // @unchecked: the descriptors are immutable after init; `wait` is
    // serialised by its one caller, the scheduler.
    private let timer: Int32
    private let kicker: Int32
    private let queue = DispatchQueue(label: "mdrsd.timerfd")

    public init() throws {
        timer = timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC))
        kicker = eventfd(0, Int32(EFD_CLOEXEC))
        guard timer >= 0, kicker >= 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    deinit {
        close(timer)
        close(kicker)
    }

    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    public func date() -> Date { Date() }

    public func kick() {
        var one: UInt64 = 1
        _ = write(kicker, &one, 8)
    }

    public func wait(until deadline: Int64?) async -> Wake {
        arm(deadline)
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.block()) }
        }
    }

    private func arm(_ deadline: Int64?) {
        var spec = itimerspec()
        if let deadline {
            // A zero it_value disarms, so a deadline at the epoch becomes 1 ns.
            spec.it_value.tv_sec = max(Int(deadline), 0)
            if deadline <= 0 { spec.it_value.tv_nsec = 1 }
        }
        let flags = Int32(TFD_TIMER_ABSTIME) | Int32(TFD_TIMER_CANCEL_ON_SET)
        timerfd_settime(timer, flags, &spec, nil)
    }

    private func block() -> Wake {
        var fds = [pollfd(fd: timer, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: kicker, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            var count: UInt64 = 0
            if fds[1].revents & Int16(POLLIN) != 0 {
                _ = read(kicker, &count, 8)
                return .kicked
            }
            if fds[0].revents & Int16(POLLIN) != 0 {
                if read(timer, &count, 8) < 0 && errno == ECANCELED { return .clockChanged }
                return .deadline
            }
        }
    }
}
#endif
