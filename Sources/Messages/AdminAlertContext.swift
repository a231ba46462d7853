public import Foundation
public import MediationDomain

/// What an `admin_alert` template may use: a digest of alerts with one
/// cause, for staff. It names cases and messages, never a family's
/// contact details.
public struct AdminAlertContext: Sendable {
    public struct Service: Sendable { public var name: String }
    /// One alert of the digest.
    public struct Item: Sendable {
        public var reference: String?
        public var detail: String
        /// When it was raised, local time.
        public var time: String
    }

    public var service: Service
    /// One line: what happened (the first alert's summary).
    public var summary: String
    /// How many alerts the digest carries, and the same in words ("3 alerts").
    public var count: Int
    public var countText: String
    public var items: [Item]
    /// The cases the digest names, comma-separated; empty for none.
    public var references: String
    public var hasReferences: Bool

    /// A digest of `alerts` (each with the time it was raised), times in `zoneID`.
    public init(service: ServiceIdentity, alerts: [(alert: StaffAlert, raisedAt: Date)], zoneID: String) {
        self.service = Service(name: service.name)
        summary = alerts.first?.alert.summary ?? ""
        count = alerts.count
        countText = Counted.text(alerts.count, "alert")
        items = alerts.map { Item(reference: $0.alert.reference, detail: $0.alert.detail,
                                  time: LocalDateTime.iso8601($0.raisedAt, zoneID: zoneID)) }
        var seen: [String] = []
        for reference in alerts.compactMap(\.alert.reference) where !seen.contains(reference) { seen.append(reference) }
        references = seen.joined(separator: ", ")
        hasReferences = !seen.isEmpty
    }

    /// A context with every field set, for checking templates.
    static func sample(service: ServiceIdentity) -> AdminAlertContext {
        AdminAlertContext(service: service, alerts: [(StaffAlert(cause: "c", reference: "R", summary: "S", detail: "D"), Date())],
                          zoneID: "Europe/London")
    }
}
