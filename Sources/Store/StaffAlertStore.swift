public import Foundation
public import MediationDomain

/// Staff alerts, kept until sent as digests: a durable job per cause, at
/// most one email per cause an hour.
public protocol StaffAlertStore: Sendable {
    /// Records alerts and makes sure a digest job waits for each cause:
    /// due now, or an hour after the last digest of that cause was sent.
    /// Returns the digest jobs, for the wheel.
    func raise(_ alerts: [StaffAlert], now: Date) async throws(StoreError) -> [ScheduledJob]

    /// The alerts a digest job carries, oldest first.
    func alerts(inDigest jobID: Int64) async throws(StoreError) -> [RaisedAlert]
}

/// A stored alert.
public struct RaisedAlert: Sendable, Equatable {
    public var alert: StaffAlert
    public var raisedAt: Date

    /// `alert`, raised at `raisedAt`.
    public init(alert: StaffAlert, raisedAt: Date) {
        self.alert = alert
        self.raisedAt = raisedAt
    }
}
