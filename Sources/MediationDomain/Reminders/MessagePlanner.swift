public import Foundation

/// Turns a booking version and its planned calls into the emails it wants
/// (DESIGN.md, "reminder plan"). Pure and deterministic: the same inputs give
/// the same messages with the same keys, so a new version is applied as a
/// diff and nothing already sent is sent again.
///
/// - At once: a confirmation for a new booking (or a party new to it); the
///   new details when what recipients see changed; a cancellation when the
///   meeting is called off; a notice of each preparatory call.
/// - Later, by ``ReminderRule``: meeting and call reminders, and the
///   mediator's certificate reminder; each mediator's agenda on each day
///   they have calls or a meeting.
///
/// Family-facing emails never fall in quiet hours; they wait for the morning.
public struct MessagePlanner: Sendable {
    /// The `[[reminders]]` plan.
    public var reminders: [ReminderRule]
    /// When family-facing email is held back.
    public var quietHours: QuietHours
    /// Working days, for working-day offsets and the certificate.
    public var calendar: WorkingDayCalendar
    /// When the mediator's agenda goes out; `nil` for none.
    public var agendaTime: LocalTime?
    /// The service's zone, for the agenda's days.
    public var zone: String

    /// A planner; the defaults are the shipped plan.
    public init(reminders: [ReminderRule] = ReminderRule.defaults, quietHours: QuietHours = .standard,
                calendar: WorkingDayCalendar = WorkingDayCalendar(), agendaTime: LocalTime? = LocalTime(hour: 8, minute: 0),
                zone: String = "Europe/London") {
        self.reminders = reminders
        self.quietHours = quietHours
        self.calendar = calendar
        self.agendaTime = agendaTime
        self.zone = zone
    }

    /// The emails `booking` wants, given the version before it (if any) and
    /// its planned calls (for a cancelled booking: the calls cancelled with it).
    public func plan(_ booking: Booking, previous: Booking?, calls: [PrepCall], now: Date) -> [PlannedMessage] {
        let reference = booking.reference
        let zoneID = booking.meeting.timezone
        func release(_ due: Date, _ role: Role) -> Date {
            role.isFamilyFacing ? quietHours.release(due, zoneID: zoneID) : due
        }
        let recipients = booking.parties.indices.filter { booking.parties[$0].email != nil }
        func immediate(_ kind: MessageKind, _ index: Int) -> PlannedMessage {
            let role = booking.parties[index].role
            return PlannedMessage(key: DedupeKey.announcement(kind, reference: reference, version: booking.version, role: role, index: index),
                                  message: kind, recipient: .party(index: index, role: role), due: release(now, role))
        }
        guard booking.status == .booked else {
            guard previous?.status == .booked else { return [] }
            // `calls` are the calls being cancelled with the meeting.
            return recipients.map { immediate(.bookingCancelled, $0) } + calls.filter { $0.start > now }.flatMap { call in
                recipients.filter { call.with.contains(booking.parties[$0].role) }.map { index in
                    let role = booking.parties[index].role
                    return PlannedMessage(key: DedupeKey.call(.prepCallCancelled, reference: reference, role: role, index: index, start: call.start),
                                          message: .prepCallCancelled, recipient: .party(index: index, role: role), due: release(now, role))
                }
            }
        }
        var messages: [PlannedMessage] = []
        for index in recipients {
            if let kind = Self.newsFor(booking.parties[index], of: booking, previous: previous) {
                messages.append(immediate(kind, index))
            }
        }
        messages += callMessages(booking, calls: calls, recipients: recipients, now: now, release: release)
        messages += meetingReminders(booking, recipients: recipients, release: release)
        messages += certificateReminders(booking)
        messages += agendas(booking, calls: calls, now: now)
        return messages
    }

    /// What a party is told at once about this version: a confirmation if
    /// the booking (or they) are new, the changes if the meeting as they see
    /// it changed, else nothing.
    static func newsFor(_ party: Party, of booking: Booking, previous: Booking?) -> MessageKind? {
        guard let previous, previous.status == .booked,
              previous.parties.contains(where: { $0.role == party.role && $0.email == party.email }) else {
            return .bookingConfirmation
        }
        return previous.meeting != booking.meeting || previous.kind != booking.kind ? .bookingChanged : nil
    }

    private func callMessages(_ booking: Booking, calls: [PrepCall], recipients: [Int], now: Date,
                              release: (Date, Role) -> Date) -> [PlannedMessage] {
        var messages: [PlannedMessage] = []
        for call in calls where call.start > now {
            for index in recipients where call.with.contains(booking.parties[index].role) {
                let role = booking.parties[index].role
                let recipient = JobRecipient.party(index: index, role: role)
                messages.append(PlannedMessage(
                    key: DedupeKey.call(.prepCallScheduled, reference: booking.reference, role: role, index: index, start: call.start),
                    message: .prepCallScheduled, recipient: recipient, due: release(now, role)))
                for rule in reminders where rule.message == .prepCallReminder && rule.roles.contains(role) {
                    guard let due = rule.due(before: call.start, eventDay: LocalDate(call.start, zoneID: booking.meeting.timezone),
                                             zoneID: booking.meeting.timezone, calendar: calendar) else { continue }
                    let released = release(due, role)
                    guard released < call.start else { continue }
                    messages.append(PlannedMessage(
                        key: DedupeKey.callReminder(reference: booking.reference, role: role, index: index, start: call.start,
                                                    offset: rule.offset),
                        message: .prepCallReminder, recipient: recipient, due: released, onlyIfFuture: true))
                }
            }
        }
        return messages
    }

    private func meetingReminders(_ booking: Booking, recipients: [Int], release: (Date, Role) -> Date) -> [PlannedMessage] {
        let start = booking.meeting.start, zoneID = booking.meeting.timezone
        var messages: [PlannedMessage] = []
        for rule in reminders where rule.message == .meetingReminder {
            guard let due = rule.due(before: start, eventDay: LocalDate(start, zoneID: zoneID), zoneID: zoneID, calendar: calendar) else {
                continue
            }
            for index in recipients where rule.roles.contains(booking.parties[index].role) {
                let role = booking.parties[index].role
                let released = release(due, role)
                guard released < start else { continue }
                messages.append(PlannedMessage(
                    key: DedupeKey.meetingReminder(reference: booking.reference, role: role, index: index, start: start, offset: rule.offset),
                    message: .meetingReminder, recipient: .party(index: index, role: role), due: released, onlyIfFuture: true))
            }
        }
        return messages
    }

    /// The certificate is due 3 working days after a mediation meeting ends.
    private func certificateReminders(_ booking: Booking) -> [PlannedMessage] {
        guard booking.kind == .mediation, let deadline = Self.certificateDeadline(booking, calendar: calendar) else { return [] }
        return reminders.filter { $0.message == .certificateDue }.compactMap { rule in
            guard let due = rule.due(before: deadline.end, eventDay: deadline.day, zoneID: booking.meeting.timezone,
                                     calendar: calendar), due > booking.meeting.end, due < deadline.end else { return nil }
            return PlannedMessage(key: DedupeKey.certificate(reference: booking.reference, deadline: deadline.day, offset: rule.offset),
                                  message: .certificateDue, recipient: .mediator(booking.mediator), due: due, onlyIfFuture: true)
        }
    }

    /// The certificate's last day, and the instant that day ends.
    public static func certificateDeadline(_ booking: Booking, calendar: WorkingDayCalendar) -> (day: LocalDate, end: Date)? {
        let zoneID = booking.meeting.timezone
        let day = calendar.adding(workingDays: 3, to: LocalDate(booking.meeting.end, zoneID: zoneID))
        return day.adding(days: 1).start(in: zoneID).map { (day, $0) }
    }

    /// One agenda a day per mediator, on each day they have one of this
    /// booking's calls or its meeting; shared by every booking that day.
    private func agendas(_ booking: Booking, calls: [PrepCall], now: Date) -> [PlannedMessage] {
        guard let agendaTime else { return [] }
        let items = calls.map { ($0.mediator, $0.start) } + [(booking.mediator, booking.meeting.start)]
        var seen: Set<String> = []
        return items.compactMap { mediator, start in
            let day = LocalDate(start, zoneID: zone)
            let key = DedupeKey.agenda(mediator: mediator, day: day)
            guard seen.insert(key).inserted,
                  let due = LocalDateTime(date: day, time: agendaTime).earliestInstant(in: zone), due > now, due < start else { return nil }
            return PlannedMessage(key: key, message: .mediatorAgenda, recipient: .mediator(mediator), due: due, standalone: true)
        }
    }
}
