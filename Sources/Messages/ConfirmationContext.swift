import Foundation
import MediationDomain

/// What a `booking_confirmation` template may use. Stored properties only:
/// Mustache reads them by reflection, and a missing optional renders empty.
public struct ConfirmationContext: Sendable {
    public struct Service: Sendable { public var name, email, phone: String }

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

    /// A context with every field set, for checking templates.
    static func sample(service: ServiceIdentity) -> ConfirmationContext {
        let start = LocalDateTime(iso: "2027-03-23T10:00")!
        let booking = Booking(
            reference: "MDRS-0", version: 1, status: .booked, kind: .mediation, grounds: [.planContents], requestedOn: nil,
            decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 9),
            meeting: Meeting(local: start, timezone: "Europe/London", start: (try? start.instant(in: "Europe/London")) ?? Date(),
                             durationMinutes: 120, venue: "Venue", onlineURL: "https://example.org"),
            mediator: "m", parties: [Party(role: .parent, name: "Name")])
        return ConfirmationContext(booking: booking, party: booking.parties[0], service: service)
    }

    /// Builds the context for one party of one booking.
    public init(booking: Booking, party: Party, service: ServiceIdentity) {
        let formatter = LocalTimeFormatter(zoneID: booking.meeting.timezone)
        self.service = Service(name: service.name, email: service.replyTo, phone: service.phone)
        recipientName = party.name
        reference = booking.reference
        kindName = booking.kind == .mediation ? "mediation meeting" : "disagreement resolution meeting"
        meetingDay = formatter.day(booking.meeting.start)
        meetingTime = formatter.time(booking.meeting.start)
        meetingDayAndTime = formatter.dayAndTime(booking.meeting.start)
        duration = LocalTimeFormatter.duration(minutes: booking.meeting.durationMinutes)
        venue = booking.meeting.venue
        onlineURL = booking.meeting.onlineURL
        isFamily = party.role.isFamily || party.role == .advocate
        timezoneNote = booking.meeting.timezone == "Europe/London" ? "UK time" : booking.meeting.timezone
    }
}
