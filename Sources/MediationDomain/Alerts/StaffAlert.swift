import Foundation

/// Something staff must act on. Alerts with the same cause are sent
/// together as one digest, at most one email per cause an hour, with the
/// count and the references. No personal data: references, roles and
/// message names only.
public struct StaffAlert: Sendable, Equatable {
    /// Groups alerts into one digest, e.g. `unscheduled_call`.
    public var cause: String
    /// The booking it is about, if one.
    public var reference: String?
    /// One line for the digest's subject and heading: what happened.
    public var summary: String
    /// What happened in this instance, and what to do.
    public var detail: String

    /// An alert about `reference` (or none) with this cause.
    public init(cause: String, reference: String? = nil, summary: String, detail: String) {
        self.cause = cause
        self.reference = reference
        self.summary = summary
        self.detail = detail
    }
}

extension StaffAlert {
    /// A preparatory call no slot was found for.
    public static func unscheduled(_ call: UnscheduledCall) -> StaffAlert {
        StaffAlert(cause: "unscheduled_call", reference: call.booking, summary: "Preparatory calls could not be planned",
                   detail: "No slot was found for the call with the \(call.with.map(\.displayName).joined(separator: " and ")) "
                       + "(\(call.reason)). Please arrange it by hand.")
    }
}

extension Role {
    /// The role as staff read it: `local authority`.
    public var displayName: String {
        switch self {
        case .youngPerson: "young person"
        case .localAuthority: "local authority"
        case .socialCare: "social care"
        default: rawValue
        }
    }
}
