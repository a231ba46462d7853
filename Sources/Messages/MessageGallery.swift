import Foundation
import MediationDomain

/// Every email mdrsd can send, from fictional sample bookings: each party
/// message to each role, for both kinds of meeting, in each language the
/// templates have, and the staff and mediator messages — so an
/// administrator (or a test) can look at them all, e.g. at phone width.
public struct MessageGallery: Sendable {
    /// One sample email and a file name that says what it is.
    public struct Entry: Sendable {
        /// `booking_confirmation.mediation.parent.en`
        public var name: String
        public var email: OutgoingEmail
    }

    public let builder: MessageBuilder

    public init(builder: MessageBuilder) { self.builder = builder }

    /// The roles a sample booking has: every one, with fictional people.
    static let people: [(Role, String)] = [
        (.parent, "Siân Ó Briain"), (.youngPerson, "Jordan Blake"), (.advocate, "Tomasz Nowak"), (.localAuthority, "Priya Shah"),
        (.health, "Grace Adeyemi"), (.socialCare, "Owen Price"), (.school, "Helen Carter"),
    ]

    /// A sample meeting a month after `now`, on a Wednesday in the longest
    /// month name, online and in person, with every role.
    static func booking(_ kind: MeetingKind, now: Date) -> Booking {
        let local = LocalDateTime(iso: "2027-09-22T14:30")!
        return Booking(
            reference: "MDRS-2027-0142", version: 2, status: .booked, kind: kind,
            grounds: kind == .mediation ? [.planContents] : [.provision], requestedOn: nil, decisionLetterOn: nil,
            healthIssues: false, child: Child(initials: "J.B.", age: 9),
            meeting: Meeting(local: local, timezone: "Europe/London", start: (try? local.instant(in: "Europe/London")) ?? now,
                             durationMinutes: 150, venue: "Riverside Community Centre, Room 2, 14 Mill Lane",
                             onlineURL: "https://meet.example.org/j/8841-2207-5563?pwd=KxR7mQ2"),
            mediator: "m.okafor",
            parties: people.map { role, name in
                Party(role: role, name: name, email: "\(role.rawValue.replacingOccurrences(of: "_", with: "."))@example.org",
                      phone: role == .school ? nil : "0161 496 0000")
            })
    }

    /// The family's call (with the advocate), the local authority's and health's.
    static func calls(_ booking: Booking) -> [PrepCall] {
        let first = booking.meeting.start.addingTimeInterval(-6 * 86_400 - 5.5 * 3600)
        return [[Role.parent, .youngPerson, .advocate], [.localAuthority], [.health]].enumerated().map { offset, with in
            let start = first.addingTimeInterval(Double(offset) * 2700)
            return PrepCall(booking: booking.reference, mediator: booking.mediator, with: with, start: start, end: start.addingTimeInterval(1800))
        }
    }

    /// Every sample email, in `languages` (the main locale first).
    public func entries(languages: [String]) -> [Entry] {
        let mediator = Mediator(id: "m.okafor", name: "Mina Okafor", email: "m.okafor@example.org")
        var entries: [Entry] = []
        for kind in MeetingKind.allCases {
            let booking = Self.booking(kind, now: Date(timeIntervalSince1970: 0))
            let calls = Self.calls(booking)
            // Written a fortnight before the meeting: every call is ahead.
            let now = booking.meeting.start.addingTimeInterval(-14 * 86_400)
            var previous = booking
            previous.meeting.start = booking.meeting.start.addingTimeInterval(-86_400 - 4.5 * 3600)
            previous.meeting.durationMinutes = 120
            for message in MessageKind.partyMessages {
                for (index, party) in booking.parties.enumerated() {
                    let own = calls.first { $0.with.contains(party.role) }
                    if message.isAboutACall && own == nil { continue }
                    for language in languages {
                        var localized = message.isCancellation ? Self.cancelled(booking) : booking
                        localized.parties[index].language = language
                        let subject = MessageBuilder.Subject.party(localized, index: index, mediator: mediator, call: own,
                                                                   calls: message.isCancellation ? [] : calls, previous: previous)
                        if let (email, _) = builder.email(message, about: subject, jobKey: "gallery.\(message.rawValue).\(index)", now: now) {
                            entries.append(Entry(name: "\(message.rawValue).\(kind.rawValue).\(party.role.rawValue).\(language)", email: email))
                        }
                    }
                }
            }
            if kind == .mediation, let deadline = LocalDate(iso: "2027-09-27") {
                if let (email, _) = builder.email(.certificateDue, about: .certificate(booking, mediator: mediator, deadline: deadline),
                                                  jobKey: "gallery.certificate", now: now) {
                    entries.append(Entry(name: "certificate_due.mediation.mediator", email: email))
                }
                let day = LocalDate(calls[0].start, zoneID: "Europe/London")
                if let (email, _) = builder.email(.mediatorAgenda, about: .agenda(mediator: mediator, day: day, zoneID: "Europe/London",
                                                                                 calls: calls.map { ($0, booking) }, meetings: [booking]),
                                                  jobKey: "gallery.agenda", now: now) {
                    entries.append(Entry(name: "mediator_agenda.mediator", email: email))
                }
                let alerts = [
                    StaffAlert(cause: "dead_letter", reference: booking.reference, summary: "Emails could not be delivered",
                               detail: "booking_confirmation to the parent: after 1 attempt(s) the relay's last word was: 550 5.1.1 "
                                   + "<parent@example.org>: Recipient address rejected: User unknown in virtual mailbox table. "
                                   + "Please contact them another way, or fix the address and run `mdrsctl outbox retry 3`."),
                    StaffAlert(cause: "dead_letter", reference: "MDRS-2027-0143", summary: "Emails could not be delivered",
                               detail: "prep_call_scheduled to the local authority: after 5 attempt(s) the relay's last word was: 451 4.7.1 try later"),
                ]
                let context = AdminAlertContext(service: builder.composer.service, alerts: alerts.map { ($0, now) }, zoneID: "Europe/London")
                if let (email, _) = builder.email(.adminAlert, about: .staff(context, address: "staff@example.org"),
                                                  jobKey: "gallery.alert", now: now) {
                    entries.append(Entry(name: "admin_alert.staff", email: email))
                }
            }
        }
        return entries
    }

    private static func cancelled(_ booking: Booking) -> Booking {
        var cancelled = booking
        cancelled.status = .cancelled
        cancelled.version += 1
        return cancelled
    }
}
