/// The two kinds of meeting the service arranges.
public enum MeetingKind: String, Sendable, Codable, CaseIterable {
    /// After an LA decision; the LA must take part.
    case mediation
    /// Any aspect of SEND, if all parties agree; voluntary for everyone.
    case disagreementResolution = "disagreement_resolution"

    /// The grounds a booking of this kind may name.
    public var grounds: Set<Ground> {
        switch self {
        case .mediation: [.noAssessment, .noPlan, .planContents, .noAmendment, .ceasePlan]
        case .disagreementResolution: [.duties, .provision, .healthSocialCare]
        }
    }
}

/// Why the meeting was asked for (DOMAIN.md, "Meeting kinds").
public enum Ground: String, Sendable, Codable, CaseIterable {
    case noAssessment = "no_assessment"
    case noPlan = "no_plan"
    case planContents = "plan_contents"
    case noAmendment = "no_amendment"
    case ceasePlan = "cease_plan"
    case duties
    case provision
    case healthSocialCare = "health_social_care"
}

/// A party's part in the case.
public enum Role: String, Sendable, Codable, CaseIterable {
    case parent, carer
    case youngPerson = "young_person"
    case advocate
    case localAuthority = "local_authority"
    case health
    case socialCare = "social_care"
    case school

    /// Parents, carers and young people acting for themselves.
    public var isFamily: Bool { self == .parent || self == .carer || self == .youngPerson }

    /// The family and its advocate: their email respects quiet hours.
    public var isFamilyFacing: Bool { isFamily || self == .advocate }
}

/// A day of the week, as written in booking files (`mon` … `sun`).
public enum Weekday: String, Sendable, Codable, CaseIterable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Foundation's weekday number (Sunday = 1).
    public var gregorianNumber: Int {
        switch self {
        case .sun: 1
        case .mon: 2
        case .tue: 3
        case .wed: 4
        case .thu: 5
        case .fri: 6
        case .sat: 7
        }
    }
}
