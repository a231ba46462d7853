/// The messages mdrsd sends; each has a subject, a text and an HTML template
/// named `<kind>.subject.mustache`, `<kind>.text.mustache`, `<kind>.html.mustache`.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    case bookingConfirmation = "booking_confirmation"
    /// To the service's staff: something needs a person.
    case adminAlert = "admin_alert"

    /// The template files this message needs in a locale folder.
    public var templateNames: [String] {
        ["subject", "text", "html"].map { "\(rawValue).\($0)" }
    }
}
