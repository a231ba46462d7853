/// Whom a job's email goes to.
public enum JobRecipient: Sendable, Hashable {
    /// A party of the booking, by position in its `parties` and role (the
    /// role is checked again at send time, so a reordered booking never
    /// sends one party's email to another).
    case party(index: Int, role: Role)
    /// A mediator, by id in the config.
    case mediator(String)
    /// The service's staff (`service.admin_email`).
    case staff

    /// As stored and logged: the role's name, `mediator` or `staff`.
    public var roleName: String {
        switch self {
        case .party(_, let role): role.rawValue
        case .mediator: "mediator"
        case .staff: "staff"
        }
    }

    /// The party's position, for a party.
    public var partyIndex: Int? {
        if case .party(let index, _) = self { return index }
        return nil
    }

    /// The mediator's id, for a mediator.
    public var mediatorID: String? {
        if case .mediator(let id) = self { return id }
        return nil
    }

    /// The recipient stored as role name, party index and mediator id;
    /// `nil` when they do not make one.
    public init?(roleName: String, partyIndex: Int?, mediator: String?) {
        switch (roleName, partyIndex, mediator) {
        case ("staff", nil, _): self = .staff
        case ("mediator", nil, let id?): self = .mediator(id)
        case (let name, let index?, _):
            guard let role = Role(rawValue: name), index >= 0 else { return nil }
            self = .party(index: index, role: role)
        default: return nil
        }
    }
}
