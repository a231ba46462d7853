import Foundation
#if canImport(Glibc)
import Glibc
public import LinuxPlatform
public import Logging
public import ServiceLifecycle
import Store
import UnixSignals

/// `systemctl reload` (SIGHUP): reads the config and templates again and
/// swaps them in whole, telling systemd with `RELOADING=1` and `READY=1`.
/// A config that cannot be used leaves the running one in place and says why.
public struct ReloadService: Service {
    let runtime: Runtime
    let scheduler: Scheduler
    let notifier: SystemdNotifier
    let logger: Logger
    let signals: UnixSignalsSequence

    /// The service over these parts. SIGHUP is trapped from here on: made
    /// before `READY=1`, a reload systemd sends at once is taken, where
    /// SIGHUP's default would end the daemon.
    public init(runtime: Runtime, scheduler: Scheduler, notifier: SystemdNotifier, logger: Logger) async {
        self.runtime = runtime
        self.scheduler = scheduler
        self.notifier = notifier
        self.logger = logger
        signals = await UnixSignalsSequence(trapping: .sighup)
    }

    public func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.notify(["RELOADING=1", "MONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())", "STATUS=reloading the configuration"])
            var note = ""
            do {
                let reload = try await runtime.reload()
                await scheduler.schedule(reload.jobs)
                logger.notice("configuration and templates reloaded")
                try? await runtime.current.instance.store.audit(
                    AuditEntry(at: Date(), actor: "mdrsd (SIGHUP)", action: "reload", target: runtime.current.instance.config.file.path))
            } catch {
                logger.error("reload failed; still running on the previous configuration", metadata: ["error": "\(error)"])
                note = "; last reload failed, see the journal"
            }
            let status = await JobHandler.status(runtime.current.instance.store) ?? "ready"
            notifier.notify(["READY=1", "STATUS=\(status)\(note)"])
        }
    }
}
#endif
