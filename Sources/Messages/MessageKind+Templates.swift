public import MediationDomain

extension MessageKind {
    /// A context of the type this message renders with, for checking the
    /// templates' variables at load.
    var sampleContext: any Sendable {
        let service = ServiceIdentity(name: "Service", fromAddress: "a@example.org", replyTo: "a@example.org", phone: "0")
        switch self {
        case .bookingConfirmation, .bookingChanged, .bookingCancelled, .meetingReminder, .prepCallScheduled, .prepCallReminder,
             .prepCallCancelled:
            return ConfirmationContext.sample(service: service, withCall: isAboutACall)
        case .certificateDue: return CertificateContext.sample(service: service)
        case .mediatorAgenda: return AgendaContext.sample(service: service)
        case .adminAlert: return AdminAlertContext.sample(service: service)
        }
    }

    /// The template files this message needs in a locale folder.
    public var templateNames: [String] {
        ["subject", "text", "html"].map { "\(rawValue).\($0)" }
    }
}
