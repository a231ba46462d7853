public import Foundation

/// One `[[reminders]]` entry: send `message` to these roles `offset` before
/// the event it is about, optionally at a fixed local time of day.
///
/// The event is the meeting for `meeting_reminder`, the party's preparatory
/// call for `prep_call_reminder`, and the certificate's deadline (3 working
/// days after the meeting) for `certificate_due`, which goes to the mediator.
public struct ReminderRule: Sendable, Equatable {
    /// How far before the event.
    public struct Offset: Sendable, Equatable, CustomStringConvertible {
        /// Minutes, hours, days or working days, as written after the number.
        public enum Unit: String, Sendable { case minutes = "m", hours = "h", days = "d", workingDays = "wd" }
        public var amount: Int
        public var unit: Unit

        /// `amount` `unit`s.
        public init(amount: Int, unit: Unit) {
            self.amount = amount
            self.unit = unit
        }

        /// Reads "90m", "2h", "1d" or "2wd" (working days).
        public init?(_ text: String) {
            let digits = text.prefix { $0.isNumber }
            guard let amount = Int(digits), amount >= 0, let unit = Unit(rawValue: String(text.dropFirst(digits.count))) else {
                return nil
            }
            self.init(amount: amount, unit: unit)
        }

        /// As written in the config: "2d".
        public var description: String { "\(amount)\(unit.rawValue)" }
        /// Days and working days move the date; the time of day comes from `at`.
        public var isInDays: Bool { unit == .days || unit == .workingDays }
    }

    /// The messages a rule may plan.
    public static let messages: [MessageKind] = [.meetingReminder, .prepCallReminder, .certificateDue]

    /// What is sent: a message of ``messages``.
    public var message: MessageKind
    /// How long before the event.
    public var offset: Offset
    /// The local time of day to send at; only with an offset in days.
    public var at: LocalTime?
    /// Who gets it; ignored for `certificate_due`.
    public var roles: Set<Role>

    /// A rule; by default for every role.
    public init(message: MessageKind, offset: Offset, at: LocalTime? = nil, roles: Set<Role> = Set(Role.allCases)) {
        self.message = message
        self.offset = offset
        self.at = at
        self.roles = roles
    }

    /// The family and its advocate, who may read email on any day.
    public static let familySide: Set<Role> = Set(Role.allCases.filter(\.isFamilyFacing))
    /// Officers and professionals, who read their work email on working days.
    public static let officers: Set<Role> = Set(Role.allCases.filter { !$0.isFamilyFacing })

    /// The shipped plan: meeting reminders two days before (two working
    /// days for officers, so a Monday meeting is not announced to them on a
    /// Saturday, nor a Tuesday one after Easter on Easter Sunday) and two
    /// hours before, a call reminder the morning before, the certificate
    /// reminder on the first working day after the meeting.
    public static let defaults: [ReminderRule] = [
        ReminderRule(message: .meetingReminder, offset: Offset(amount: 2, unit: .days), at: LocalTime(hour: 10, minute: 0),
                     roles: familySide),
        ReminderRule(message: .meetingReminder, offset: Offset(amount: 2, unit: .workingDays), at: LocalTime(hour: 10, minute: 0),
                     roles: officers),
        ReminderRule(message: .meetingReminder, offset: Offset(amount: 2, unit: .hours)),
        ReminderRule(message: .prepCallReminder, offset: Offset(amount: 1, unit: .days), at: LocalTime(hour: 9, minute: 0)),
        ReminderRule(message: .certificateDue, offset: Offset(amount: 2, unit: .workingDays), at: LocalTime(hour: 9, minute: 0)),
    ]

    /// When to send for an event at `event` (local day `eventDay` in `zoneID`).
    public func due(before event: Date, eventDay: LocalDate, zoneID: String, calendar: WorkingDayCalendar) -> Date? {
        switch offset.unit {
        case .minutes: return event.addingTimeInterval(TimeInterval(-offset.amount * 60))
        case .hours: return event.addingTimeInterval(TimeInterval(-offset.amount * 3600))
        case .days, .workingDays:
            let day = offset.unit == .days ? eventDay.adding(days: -offset.amount)
                                           : calendar.adding(workingDays: -offset.amount, to: eventDay)
            let time = at ?? LocalDateTime(event, zoneID: zoneID).time
            return LocalDateTime(date: day, time: time).earliestInstant(in: zoneID)
        }
    }
}
