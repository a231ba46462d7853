import Foundation
public import Logging
import LinuxPlatform
import Mailer
import MediationDomain
public import ServiceLifecycle

/// Reads the bounce mailbox at start-up and then every `bounces.interval`
/// (five minutes by default), with the settings of the running config.
/// Without `[bounces]` it sleeps until a reload, never waking on a timer. A
/// mailbox it cannot log in to alerts staff once, as the relay's settings
/// do, until a pass succeeds again.
public struct BounceReaderService: Service {
    let runtime: Runtime
    let logger: Logger

    /// The service over `runtime`.
    public init(runtime: Runtime, logger: Logger) {
        self.runtime = runtime
        self.logger = logger
    }

    public func run() async throws {
        var failing = false
        var reloads = runtime.reloads.cancelOnGracefulShutdown().makeAsyncIterator()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let parts = runtime.current
            guard let reader = parts.bounces, let interval = parts.instance.config.bounces?.interval else {
                // Off: wait for a reload that may turn it on.
                guard await reloads.next() != nil else { return }
                continue
            }
            failing = await pass(reader, alerts: parts.alerts, wasFailing: failing)
            do {
                try await cancelWhenGracefulShutdown { try await Pause.sleep(for: .seconds(interval)) }
            } catch {
                return
            }
        }
    }

    /// One pass; returns whether it failed.
    private func pass(_ reader: BounceReader, alerts: AlertRaiser, wasFailing: Bool) async -> Bool {
        do {
            let pass = try await reader.readNewMessages(now: Date())
            if !pass.outcomes.isEmpty {
                logger.notice("bounce mailbox read", metadata: pass.outcomes.reduce(into: Logger.Metadata()) { $0[$1.key] = "\($1.value)" })
            }
            return false
        } catch .mailbox(let error) where error.class == .configuration {
            logger.error("cannot read the bounce mailbox: its settings need attention", metadata: ["error": "\(error)"])
            if !wasFailing {
                await alerts.raise([StaffAlert(
                    cause: "bounce_configuration", summary: "Bounces cannot be read: the [bounces] settings need attention",
                    detail: "The bounce mailbox said: \(error.message). Until this is fixed nobody learns of emails that bounce. "
                        + "Check the [bounces] settings and credentials, then reload mdrsd (systemctl reload mdrsd).")], now: Date())
            }
            return true
        } catch {
            logger.warning("cannot read the bounce mailbox now; trying again at the next interval", metadata: ["error": "\(error)"])
            return wasFailing
        }
    }
}
