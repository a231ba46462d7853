public import Foundation
import Logging
public import MediationDomain
import Store

/// Raises staff alerts: logged at error level (without personal data),
/// stored as durable digest jobs and put on the wheel; when the store
/// cannot keep them, emailed directly instead.
public struct AlertRaiser: Sendable {
    let store: any MDRSStore
    let scheduler: any JobScheduling
    let direct: DirectAlerter
    let logger: Logger

    /// Raises `alerts` now.
    public func raise(_ alerts: [StaffAlert], now: Date) async {
        guard !alerts.isEmpty else { return }
        for alert in alerts {
            logger.error("staff alert", metadata: ["cause": "\(alert.cause)", "booking": "\(alert.reference ?? "-")",
                                                   "summary": "\(alert.summary)", "detail": "\(LogRedaction.addresses(in: alert.detail))"])
        }
        do {
            await scheduler.schedule(try await store.raise(alerts, now: now))
        } catch {
            logger.critical("cannot store staff alerts; emailing them directly", metadata: ["error": "\(error)"])
            for alert in alerts { await direct.send(alert, now: now) }
        }
    }
}
