import Foundation
public import MediationDomain

/// What a `certificate_due` template may use: to the mediator, about one case.
public struct CertificateContext: Sendable {
    public typealias Service = ServiceContact

    public var service: Service
    public var mediatorName: String
    /// The case reference; never the child's details.
    public var reference: String
    public var kindName: String
    public var meetingDayAndTime: String
    /// The last day for the certificate: 3 working days after the meeting.
    public var deadlineDay: String

    /// The context for `booking`'s mediator, with the certificate's last day.
    public init(booking: Booking, mediator: Mediator, deadline: LocalDate, service: ServiceIdentity) {
        let formatter = LocalTimeFormatter(zoneID: booking.meeting.timezone)
        self.service = Service(service)
        mediatorName = mediator.name
        reference = booking.reference
        kindName = booking.kind.meetingName()
        meetingDayAndTime = formatter.dayAndTime(booking.meeting.start)
        deadlineDay = formatter.day(deadline)
    }
}

extension CertificateContext {
    /// A booking with every field set, for checking templates.
    static var sampleBooking: Booking {
        let start = LocalDateTime(iso: "2027-03-23T10:00")!
        return Booking(
            reference: "MDRS-0", version: 1, status: .booked, kind: .mediation, grounds: [.planContents], requestedOn: nil,
            decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 9),
            meeting: Meeting(local: start, timezone: "Europe/London", start: (try? start.instant(in: "Europe/London")) ?? Date(),
                             durationMinutes: 120, venue: "Venue", onlineURL: "https://example.org"),
            mediator: "m", parties: [Party(role: .parent, name: "Name", phone: "0")])
    }

    static func sample(service: ServiceIdentity) -> CertificateContext {
        CertificateContext(booking: sampleBooking, mediator: Mediator(id: "m", name: "Mediator"),
                           deadline: LocalDate(iso: "2027-03-26")!, service: service)
    }
}
