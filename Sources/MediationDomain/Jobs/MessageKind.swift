/// The messages mdrsd sends. Each has a subject, a text and an HTML template
/// (see `Messages`); the raw value names them in templates, jobs and config.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    case bookingConfirmation = "booking_confirmation"
    /// "Your mediator will call you on …", with the call as an invitation.
    case prepCallScheduled = "prep_call_scheduled"
    /// Shortly before the preparatory call.
    case prepCallReminder = "prep_call_reminder"
    /// Shortly before the meeting.
    case meetingReminder = "meeting_reminder"
    /// A new version of a booked meeting: the details as they now are.
    case bookingChanged = "booking_changed"
    /// The meeting is off.
    case bookingCancelled = "booking_cancelled"
    /// The meeting is off, so the preparatory call a party was told of is
    /// too: its own email, so the call's calendar event is cancelled as well.
    case prepCallCancelled = "prep_call_cancelled"
    /// To the mediator: the mediation certificate falls due.
    case certificateDue = "certificate_due"
    /// To each mediator on a working day: the day's calls and meetings.
    case mediatorAgenda = "mediator_agenda"
    /// To the service's staff: something needs a person.
    case adminAlert = "admin_alert"

    /// The messages addressed to a booking's parties.
    public static let partyMessages: [MessageKind] = [
        .bookingConfirmation, .prepCallScheduled, .prepCallReminder, .meetingReminder, .bookingChanged, .bookingCancelled,
        .prepCallCancelled,
    ]

    /// The messages about a party's preparatory call, which need that call.
    public var isAboutACall: Bool { self == .prepCallScheduled || self == .prepCallReminder || self == .prepCallCancelled }

    /// The messages sent because a booking was cancelled, and only then.
    public var isCancellation: Bool { self == .bookingCancelled || self == .prepCallCancelled }

    /// The messages that announce a booking to a party; an unsent one
    /// survives a quick correction that announces nothing new.
    public var isAnnouncement: Bool { self == .bookingConfirmation || self == .bookingChanged }
}
