extension Booking {
    /// What is written in place of erased text.
    public static let erased = "(erased)"

    /// The booking without its personal data: the parties' names, email
    /// addresses, phone numbers and unavailable times, the child's
    /// initials, the venue and the meeting link go; what the service
    /// reports on stays (kind, grounds, dates, the roles taking part, the
    /// child's age, the mediator).
    public func erasingPersonalData() -> Booking {
        var copy = self
        copy.child.initials = Self.erased
        if copy.meeting.venue != nil { copy.meeting.venue = Self.erased }
        if copy.meeting.onlineURL != nil { copy.meeting.onlineURL = Self.erased }
        copy.parties = parties.map { Party(role: $0.role, name: Self.erased, email: nil, phone: nil, language: $0.language) }
        return copy
    }
}
