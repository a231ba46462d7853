public import Foundation

/// The one place a job's key is made. A key is unique per email: planning
/// again yields the same key, so an email already sent is never planned
/// twice, and the Message-ID is derived from it. Keys hold references,
/// roles and times, never personal data. The shapes below are stored in
/// existing databases: never change one.
public enum DedupeKey {
    /// A confirmation, change notice or cancellation of one booking version
    /// for one party: `booking_confirmation.REF.v2.parent.0`.
    public static func announcement(_ kind: MessageKind, reference: String, version: Int, role: Role, index: Int) -> String {
        "\(kind.rawValue).\(reference).v\(version).\(role.rawValue).\(index)"
    }

    /// The notice (or cancellation) of a party's call at `start`.
    public static func call(_ kind: MessageKind, reference: String, role: Role, index: Int, start: Date) -> String {
        "\(kind.rawValue).\(reference).\(role.rawValue).\(index).\(seconds(start))"
    }

    /// A reminder of a party's call at `start`, by the rule's offset.
    public static func callReminder(reference: String, role: Role, index: Int, start: Date,
                                    offset: ReminderRule.Offset) -> String {
        "\(MessageKind.prepCallReminder.rawValue).\(reference).\(role.rawValue).\(index).\(seconds(start)).\(offset)"
    }

    /// A reminder of the meeting at `start`, by the rule's offset.
    public static func meetingReminder(reference: String, role: Role, index: Int, start: Date,
                                       offset: ReminderRule.Offset) -> String {
        "\(MessageKind.meetingReminder.rawValue).\(reference).\(role.rawValue).\(index).\(seconds(start)).\(offset)"
    }

    /// The mediator's reminder of a certificate due on `deadline`.
    public static func certificate(reference: String, deadline: LocalDate, offset: ReminderRule.Offset) -> String {
        "\(MessageKind.certificateDue.rawValue).\(reference).\(deadline).\(offset)"
    }

    /// A mediator's agenda for one day, shared by every booking that day.
    public static func agenda(mediator: String, day: LocalDate) -> String {
        "\(MessageKind.mediatorAgenda.rawValue).\(mediator).\(day)"
    }

    /// A digest of staff alerts with one cause, the `sequence`-th for it.
    public static func alertDigest(cause: String, sequence: Int64) -> String {
        "\(MessageKind.adminAlert.rawValue).\(cause).\(sequence)"
    }

    private static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970) }
}
