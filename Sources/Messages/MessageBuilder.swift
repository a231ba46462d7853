public import Foundation
public import MediationDomain

/// Builds the finished email for one recipient: the templates rendered in
/// their language, the calendar invitation the message carries, the RFC 5322
/// bytes. The dispatcher and `mdrsctl preview` both use it, so a preview is
/// exactly what would be sent.
public struct MessageBuilder: Sendable {
    public let templates: LocalizedTemplates
    public let composer: EmailComposer
    /// Whether mediators' agendas list the parties' phone numbers.
    public let agendaNumbers: Bool

    public init(templates: LocalizedTemplates, composer: EmailComposer, agendaNumbers: Bool = true) {
        self.templates = templates
        self.composer = composer
        self.agendaNumbers = agendaNumbers
    }

    /// Who a message is for and what it is about.
    public enum Subject: Sendable {
        /// A party of a booking; `call` is their own preparatory call (planned,
        /// or for a cancellation, cancelled), `calls` all the booking's planned
        /// calls, `previous` the version they were last told of (for a change).
        case party(Booking, index: Int, mediator: Mediator?, call: PrepCall?, calls: [PrepCall], previous: Booking?)
        /// The mediator, about a mediation's certificate.
        case certificate(Booking, mediator: Mediator, deadline: LocalDate)
        /// Staff, a digest of alerts.
        case staff(AdminAlertContext, address: String)
        /// The mediator, about their day.
        case agenda(mediator: Mediator, day: LocalDate, zoneID: String, calls: [(call: PrepCall, booking: Booking)], meetings: [Booking])
    }

    /// The email, or `nil` when the recipient has no email address. `locale`
    /// is the template locale used.
    public func email(_ kind: MessageKind, about subject: Subject, jobKey: String, now: Date) -> (email: OutgoingEmail, locale: String)? {
        let service = composer.service
        switch subject {
        case .party(let booking, let index, let mediator, let call, let calls, let previous):
            guard booking.parties.indices.contains(index), let address = booking.parties[index].email else { return nil }
            let party = booking.parties[index]
            let (catalog, locale) = templates.catalog(for: kind, language: party.language)
            let own = kind == .prepCallCancelled ? nil : calls.first { $0.with.contains(party.role) }
            let context = ConfirmationContext(booking: booking, party: party, service: service, mediator: mediator?.name,
                                              call: kind.isAboutACall ? call : nil, ownCall: own,
                                              previous: kind == .bookingChanged ? previous : nil, now: now, language: locale)
            let invite: CalendarInvite? = switch kind {
            case .bookingConfirmation, .bookingChanged:
                CalendarInvite.meeting(booking, for: party, address: address, service: service, method: .request, stamp: now,
                                       language: locale)
            case .bookingCancelled:
                CalendarInvite.meeting(booking, for: party, address: address, service: service, method: .cancel, stamp: now,
                                       language: locale)
            case .prepCallScheduled, .prepCallCancelled:
                call.map {
                    CalendarInvite.call($0, of: booking, for: party, address: address, mediator: mediator, service: service,
                                        method: kind == .prepCallCancelled ? .cancel : .request, stamp: now, language: locale)
                }
            default: nil
            }
            let email = composer.compose(catalog.render(kind, context: context), to: address, name: party.name, jobKey: jobKey,
                                         date: now, invite: invite, language: locale)
            return (email, locale)
        case .certificate(let booking, let mediator, let deadline):
            guard let address = mediator.email else { return nil }
            let context = CertificateContext(booking: booking, mediator: mediator, deadline: deadline, service: service)
            return (composer.compose(templates.main.render(kind, context: context), to: address, name: mediator.name,
                                     jobKey: jobKey, date: now, language: templates.mainLocale), templates.mainLocale)
        case .staff(let context, let address):
            return (composer.compose(templates.main.render(kind, context: context), to: address, name: nil, jobKey: jobKey, date: now, language: templates.mainLocale),
                    templates.mainLocale)
        case .agenda(let mediator, let day, let zoneID, let calls, let meetings):
            guard let address = mediator.email else { return nil }
            let context = AgendaContext(mediator: mediator, day: day, zoneID: zoneID, calls: calls, meetings: meetings, service: service,
                                        numbers: agendaNumbers)
            return (composer.compose(templates.main.render(kind, context: context), to: address, name: mediator.name,
                                     jobKey: jobKey, date: now, language: templates.mainLocale), templates.mainLocale)
        }
    }
}
