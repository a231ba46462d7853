#if canImport(Glibc)
import Glibc
import Logging
import ServiceLifecycle
import Store
import UnixSignals

/// `systemctl reload` (SIGHUP): reads the config and templates again and
/// swaps them in whole, telling systemd with `RELOADING=1` and `READY=1`.
/// A config that cannot be used leaves the running one in place and says why.
struct ReloadService: Service {
    let runtime: Runtime
    let notifier: SystemdNotifier
    let logger: Logger
    /// The `STATUS=` line to report after a reload.
    let status: @Sendable () async -> String
    /// Puts jobs a changed reminder plan added or moved on the wheel.
    let schedule: @Sendable ([Job]) async -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            notifier.notify(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())", "STATUS=reloading the configuration"])
            var note = ""
            do {
                let jobs = try runtime.reload()
                await schedule(jobs)
                logger.notice("configuration and templates reloaded")
            } catch {
                logger.error("reload failed; still running on the previous configuration", metadata: ["error": "\(error)"])
                note = "; last reload failed, see the journal"
            }
            notifier.notify(["READY=1", "STATUS=\(await status())\(note)"])
        }
    }

    /// `CLOCK_MONOTONIC` in microseconds, as systemd wants with `RELOADING=1`.
    static func monotonicMicroseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000 + UInt64(spec.tv_nsec) / 1000
    }
}
#endif
