import Foundation
import MediationDomain

/// Builds the finished email for one party of one booking: the templates
/// rendered for that party, the calendar invitation the message carries,
/// the RFC 5322 bytes. The dispatcher and `mdrsctl preview` both use it, so
/// a preview is exactly what would be sent.
public struct MessageBuilder: Sendable {
    public let templates: TemplateCatalog
    public let composer: EmailComposer

    public init(templates: TemplateCatalog, composer: EmailComposer) {
        self.templates = templates
        self.composer = composer
    }

    /// The email of message `kind` about `booking` to its party at `partyIndex`,
    /// or `nil` when that party has no email address.
    public func email(_ kind: MessageKind, booking: Booking, partyIndex: Int, jobKey: String, now: Date) -> OutgoingEmail? {
        guard booking.parties.indices.contains(partyIndex), let address = booking.parties[partyIndex].email else { return nil }
        let party = booking.parties[partyIndex]
        let rendered = templates.render(kind, context: ConfirmationContext(booking: booking, party: party, service: composer.service))
        let method: CalendarInvite.Method? = switch kind {
        case .bookingConfirmation, .bookingChanged: .request
        case .bookingCancelled: .cancel
        case .adminAlert: nil
        }
        let invite = method.map {
            CalendarInvite.meeting(booking, for: party, address: address, service: composer.service, method: $0, stamp: now)
        }
        return composer.compose(rendered, to: address, name: party.name, jobKey: jobKey, date: now, invite: invite)
    }
}
