public import Foundation

/// A mediation or disagreement-resolution meeting booked by the service, as
/// read from a booking file (see the JSON contract in the README).
public struct Booking: Sendable, Equatable, Codable {
    /// Whether the meeting is still on.
    public enum Status: String, Sendable, Codable, CaseIterable { case booked, cancelled }

    /// The service's case reference, e.g. `MDRS-2027-0142`; safe for subjects.
    public var reference: String
    /// Rises with every change; a higher version replaces the stored booking.
    public var version: Int
    public var status: Status
    public var kind: MeetingKind
    public var grounds: [Ground]
    public var requestedOn: LocalDate?
    public var decisionLetterOn: LocalDate?
    public var agreementOn: LocalDate?
    public var healthIssues: Bool
    public var consentRecorded: Bool
    public var child: Child
    public var meeting: Meeting
    /// The mediator's id in the config.
    public var mediator: String
    public var parties: [Party]

    /// Creates a booking from already-validated parts.
    public init(
        reference: String, version: Int, status: Status, kind: MeetingKind, grounds: [Ground],
        requestedOn: LocalDate?, decisionLetterOn: LocalDate?, agreementOn: LocalDate? = nil,
        healthIssues: Bool, consentRecorded: Bool = false, child: Child, meeting: Meeting,
        mediator: String, parties: [Party]
    ) {
        self.reference = reference
        self.version = version
        self.status = status
        self.kind = kind
        self.grounds = grounds
        self.requestedOn = requestedOn
        self.decisionLetterOn = decisionLetterOn
        self.agreementOn = agreementOn
        self.healthIssues = healthIssues
        self.consentRecorded = consentRecorded
        self.child = child
        self.meeting = meeting
        self.mediator = mediator
        self.parties = parties
    }
}

/// The child or young person the case is about, recorded minimally.
public struct Child: Sendable, Equatable, Codable {
    public var initials: String
    public var age: Int

    public init(initials: String, age: Int) {
        self.initials = initials
        self.age = age
    }
}

/// When and where the meeting happens. `start` is the UTC instant; `local`
/// and `timezone` keep what the booking said.
public struct Meeting: Sendable, Equatable, Codable {
    public var local: LocalDateTime
    public var timezone: String
    public var start: Date
    public var durationMinutes: Int
    public var venue: String?
    public var onlineURL: String?

    public init(local: LocalDateTime, timezone: String, start: Date, durationMinutes: Int, venue: String?, onlineURL: String?) {
        self.local = local
        self.timezone = timezone
        self.start = start
        self.durationMinutes = durationMinutes
        self.venue = venue
        self.onlineURL = onlineURL
    }

    /// The UTC instant the meeting is expected to end.
    public var end: Date { start.addingTimeInterval(TimeInterval(durationMinutes * 60)) }
}

/// One person or body taking part.
public struct Party: Sendable, Equatable, Codable {
    public var role: Role
    public var name: String
    public var email: String?
    public var phone: String?
    public var language: String?
    public var unavailable: [Unavailability]

    public init(role: Role, name: String, email: String? = nil, phone: String? = nil,
                language: String? = nil, unavailable: [Unavailability] = []) {
        self.role = role
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.unavailable = unavailable
    }
}

/// A weekly time a party cannot take a call, in the meeting's zone.
public struct Unavailability: Sendable, Equatable, Codable {
    public var weekday: Weekday
    public var from: LocalTime
    public var to: LocalTime

    public init(weekday: Weekday, from: LocalTime, to: LocalTime) {
        self.weekday = weekday
        self.from = from
        self.to = to
    }
}
