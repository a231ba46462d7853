import Foundation
public import MediationDomain

/// What a `mediator_agenda` template may use: one mediator's day. The
/// mediator needs to phone people, so calls carry names and numbers; the
/// email goes to the mediator alone.
public struct AgendaContext: Sendable {
    public typealias Service = ServiceContact
    /// Someone on a call; `separator` is ";" between people, "" after the last.
    /// `noPhone` flags a party the mediator cannot call from the booking.
    public struct Person: Sendable {
        public var role, name: String
        public var phone: String?
        /// `tel:+44…` for the phone number.
        public var phoneLink: String?
        public var noPhone: Bool
        public var separator: String
    }
    public struct Call: Sendable {
        public var time, endTime, reference: String
        public var people: [Person]
    }
    public struct Meeting: Sendable {
        public var time, reference, kindName, duration: String
        public var venue, onlineURL: String?
    }

    public var service: Service
    public var mediatorName: String
    public var day: String
    public var calls: [Call]
    public var meetings: [Meeting]
    /// "2 calls, no meetings", "1 call, 1 meeting".
    public var countText: String
    /// Whether some call's party has no phone number in the booking.
    public var hasMissingPhones: Bool
    public var hasCalls: Bool
    public var hasMeetings: Bool

    /// - Parameters:
    ///   - calls: the day's calls, each with its booking.
    ///   - meetings: the meetings the mediator runs that day.
    ///   - numbers: whether to list the parties' phone numbers
    ///     (`planning.agenda_numbers`).
    public init(mediator: Mediator, day: LocalDate, zoneID: String, calls: [(call: PrepCall, booking: Booking)],
                meetings: [Booking], service: ServiceIdentity, numbers: Bool = true) {
        let formatter = LocalTimeFormatter(zoneID: zoneID)
        self.service = Service(service)
        mediatorName = mediator.name
        self.day = formatter.day(day)
        self.calls = calls.map { call, booking in
            let people = booking.parties.filter { call.with.contains($0.role) }
            return Call(time: formatter.time(call.start), endTime: formatter.time(call.end), reference: booking.reference,
                        people: people.enumerated().map { index, party in
                            Person(role: party.role.rawValue.replacingOccurrences(of: "_", with: " "), name: party.name, phone: numbers ? party.phone : nil,
                                   phoneLink: numbers ? party.phone.flatMap(TelephoneLink.uri) : nil,
                                   noPhone: numbers && party.phone == nil, separator: index == people.count - 1 ? "" : ";")
                        })
        }
        self.meetings = meetings.map {
            Meeting(time: formatter.time($0.meeting.start), reference: $0.reference,
                    kindName: $0.kind.meetingName(),
                    duration: LocalTimeFormatter.duration(minutes: $0.meeting.durationMinutes),
                    venue: $0.meeting.venue, onlineURL: $0.meeting.onlineURL)
        }
        countText = "\(Counted.text(calls.count, "call")), \(Counted.text(meetings.count, "meeting"))"
        hasMissingPhones = self.calls.contains { $0.people.contains(where: \.noPhone) }
        hasCalls = !calls.isEmpty
        hasMeetings = !meetings.isEmpty
    }

    /// A context with every field set, for checking templates.
    static func sample(service: ServiceIdentity) -> AgendaContext {
        let booking = CertificateContext.sampleBooking
        let mediator = Mediator(id: "m", name: "Mediator")
        let call = PrepCall(booking: booking.reference, mediator: "m", with: [.parent], start: booking.meeting.start,
                            end: booking.meeting.start.addingTimeInterval(1800))
        return AgendaContext(mediator: mediator, day: booking.meeting.local.date, zoneID: "Europe/London",
                             calls: [(call, booking)], meetings: [booking], service: service)
    }
}
