import Foundation
public import MediationDomain

/// What a party's message may use (confirmation, changes, cancellation,
/// reminders, call notices). Stored properties only: Mustache reads them by
/// reflection, and a missing optional renders empty. `call` is set only for
/// the call messages, so the template check rejects it elsewhere.
public struct ConfirmationContext: Sendable {
    public struct Service: Sendable { public var name, email, phone: String }

    /// The mediator's preparatory call with this party.
    public struct Call: Sendable {
        public var day, time, dayAndTime, duration: String
        /// Whether the family and its advocate are called together.
        public var isJoint: Bool
    }

    public var service: Service
    /// The recipient's own name; never another party's.
    public var recipientName: String
    public var reference: String
    public var kindName: String
    public var meetingDay: String
    public var meetingTime: String
    public var meetingDayAndTime: String
    public var duration: String
    public var venue: String?
    public var onlineURL: String?
    public var isFamily: Bool
    public var timezoneNote: String
    public var mediatorName: String?
    public var call: Call?

    /// A context with every field set, for checking templates.
    static func sample(service: ServiceIdentity, withCall: Bool) -> ConfirmationContext {
        let start = LocalDateTime(iso: "2027-03-23T10:00")!
        let booking = Booking(
            reference: "MDRS-0", version: 1, status: .booked, kind: .mediation, grounds: [.planContents], requestedOn: nil,
            decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 9),
            meeting: Meeting(local: start, timezone: "Europe/London", start: (try? start.instant(in: "Europe/London")) ?? Date(),
                             durationMinutes: 120, venue: "Venue", onlineURL: "https://example.org"),
            mediator: "m", parties: [Party(role: .parent, name: "Name")])
        let call = PrepCall(booking: "MDRS-0", mediator: "m", with: [.parent, .advocate], start: booking.meeting.start,
                            end: booking.meeting.start.addingTimeInterval(1800))
        return ConfirmationContext(booking: booking, party: booking.parties[0], service: service, mediator: "Mediator",
                                   call: withCall ? call : nil)
    }

    /// Builds the context for one party of one booking.
    /// - Parameters:
    ///   - mediator: the mediator's name, when known.
    ///   - call: the party's preparatory call, for the call messages.
    ///   - language: the language dates are written in (`en`, `cy`).
    public init(booking: Booking, party: Party, service: ServiceIdentity, mediator: String? = nil, call: PrepCall? = nil,
                language: String = "en") {
        let formatter = LocalTimeFormatter(zoneID: booking.meeting.timezone, language: language)
        self.service = Service(name: service.name, email: service.replyTo, phone: service.phone)
        recipientName = party.name
        reference = booking.reference
        kindName = booking.kind.meetingName
        meetingDay = formatter.day(booking.meeting.start)
        meetingTime = formatter.time(booking.meeting.start)
        meetingDayAndTime = formatter.dayAndTime(booking.meeting.start)
        duration = LocalTimeFormatter.duration(minutes: booking.meeting.durationMinutes, language: language)
        venue = booking.meeting.venue
        onlineURL = booking.meeting.onlineURL
        isFamily = party.role.isFamily || party.role == .advocate
        timezoneNote = booking.meeting.timezone == "Europe/London" ? "UK time" : booking.meeting.timezone
        mediatorName = mediator
        self.call = call.map {
            Call(day: formatter.day($0.start), time: formatter.time($0.start), dayAndTime: formatter.dayAndTime($0.start),
                 duration: LocalTimeFormatter.duration(minutes: Int($0.end.timeIntervalSince($0.start) / 60), language: language),
                 isJoint: $0.with.count > 1)
        }
    }
}
