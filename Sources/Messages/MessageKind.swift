/// The messages mdrsd sends; each has a subject, a text and an HTML template
/// named `<kind>.subject.mustache`, `<kind>.text.mustache`, `<kind>.html.mustache`.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    case bookingConfirmation = "booking_confirmation"
    /// A new version of a booked meeting: the details as they now are.
    case bookingChanged = "booking_changed"
    /// The meeting is off.
    case bookingCancelled = "booking_cancelled"
    /// To the service's staff: something needs a person.
    case adminAlert = "admin_alert"

    /// A context of the type this message renders with, for checking the
    /// templates' variables at load.
    var sampleContext: any Sendable {
        let service = ServiceIdentity(name: "Service", fromAddress: "a@example.org", replyTo: "a@example.org", phone: "0")
        switch self {
        case .bookingConfirmation, .bookingChanged, .bookingCancelled: return ConfirmationContext.sample(service: service)
        case .adminAlert: return AdminAlertContext(service: service, summary: "", detail: "", reference: "", message: "", role: "")
        }
    }

    /// The messages sent to a booking's parties.
    public static let partyMessages: [MessageKind] = [.bookingConfirmation, .bookingChanged, .bookingCancelled]

    /// The template files this message needs in a locale folder.
    public var templateNames: [String] {
        ["subject", "text", "html"].map { "\(rawValue).\($0)" }
    }
}
