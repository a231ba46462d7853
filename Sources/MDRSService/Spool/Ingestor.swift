import Foundation
import MediationDomain
import Store

/// Reads booking files, validates them and stores them with their jobs.
/// A file goes in whole or not at all; nothing stored changes on an error.
public struct Ingestor: Sendable {
    public let store: Store
    public let calendar: WorkingDayCalendar
    public let rules: PlanningRules
    public let mediators: [Mediator]
    public let messages: MessagePlanner

    public init(store: Store, calendar: WorkingDayCalendar, rules: PlanningRules, mediators: [Mediator],
                messages: MessagePlanner) {
        self.store = store
        self.calendar = calendar
        self.rules = rules
        self.mediators = mediators
        self.messages = messages
    }

    /// The ingestor of an instance, with its calendar, rules, mediators and
    /// reminder plan.
    public init(instance: Instance) {
        let config = instance.config
        self.init(store: instance.store, calendar: config.calendar, rules: config.planning, mediators: config.mediators,
                  messages: config.messagePlanner)
    }

    /// Parses and stores one file.
    /// - Throws: ``BookingFileError`` naming the file, record and field for
    ///   invalid or stale bookings.
    public func ingest(file url: URL, now: Date) throws(BookingFileError) -> IngestReport {
        let name = url.lastPathComponent
        guard let data = try? Data(contentsOf: url) else {
            throw BookingFileError([BookingError(file: name, record: 1, reference: nil, field: "(file)", message: "cannot be read")])
        }
        let bookings: [Booking]
        switch url.pathExtension.lowercased() {
        case "json": bookings = try BookingParser.parseJSON(data, file: name)
        case "csv": bookings = try BookingCSV.parse(data, file: name)
        default:
            throw BookingFileError([BookingError(file: name, record: 1, reference: nil, field: "(file)",
                                                 message: "is not a booking file (expected .json or .csv)")])
        }
        let outcomes: [IngestOutcome]
        var unscheduled: [String: [UnscheduledCall]] = [:]
        do {
            outcomes = try store(bookings, now: now) { unscheduled = $0 }
        } catch {
            let index = bookings.firstIndex { $0.reference == error.reference }
            throw BookingFileError([BookingError(file: name, record: (index ?? 0) + 1, reference: error.reference,
                                                 field: error.kind == .stale ? "version" : "(file)", message: error.message)])
        }
        // What this file added or moved; jobs it left alone are on the wheel already.
        let newJobs = (try? store.waitingJobs(updatedSince: Int64(now.timeIntervalSince1970))) ?? []
        let warnings = bookings.flatMap { booking in
            (StatutoryClocks(booking: booking, calendar: calendar)?.warnings ?? []).map { (booking.reference, $0) }
        }
        return IngestReport(file: name, outcomes: zip(bookings, outcomes).map { ($0.reference, $1) }, newJobs: newJobs,
                            warnings: warnings, unscheduled: bookings.flatMap { unscheduled[$0.reference] ?? [] })
    }

    /// Stores bookings with their calls and emails in one transaction.
    /// `unscheduled` receives the calls no slot was found for.
    public func store(_ bookings: [Booking], now: Date, unscheduled: (([String: [UnscheduledCall]]) -> Void)? = nil)
    throws(StoreError) -> [IngestOutcome] {
        let (calendar, rules, mediators, messages) = (self.calendar, self.rules, self.mediators, self.messages)
        var missing: [String: [UnscheduledCall]] = [:]
        let outcomes = try store.ingest(bookings, now: now, planCalls: { changed, others, meetings in
            var planner = CallPlanner(rules: rules, calendar: calendar, mediators: mediators)
            for call in others { planner.add(call) }
            for meeting in meetings { planner.addMeeting(of: meeting) }
            var plans: [String: CallPlan] = [:]
            for item in changed {
                if let kept = Self.keptCalls(item, now: now) {
                    for call in kept { planner.add(call) }
                    plans[item.booking.reference] = CallPlan(calls: kept)
                } else {
                    let plan = planner.plan(item.booking, now: now)
                    plans[item.booking.reference] = plan
                    missing[item.booking.reference] = plan.unscheduled
                }
            }
            return plans
        }, planMessages: { booking, previous, calls in
            messages.plan(booking, previous: previous, calls: calls, now: now)
        })
        unscheduled?(missing)
        return outcomes
    }

    /// The messages the reminder plan schedules ahead of time.
    public static let scheduledMessages: Set<MessageKind> = [.meetingReminder, .prepCallReminder, .certificateDue, .mediatorAgenda]

    /// Plans every booking's reminders and agendas again by this ingestor's
    /// plan (after a reload changed it). Returns the waiting jobs it added
    /// or moved, for the wheel.
    public func replanReminders(now: Date) throws(StoreError) -> [Job] {
        let messages = self.messages
        try store.replan(Self.scheduledMessages, now: now) { booking, _, calls in
            messages.plan(booking, previous: booking, calls: calls, now: now)
        }
        return try store.waitingJobs(updatedSince: Int64(now.timeIntervalSince1970))
    }

    /// A new version keeps the calls families were told about when the
    /// meeting, the mediator and who is called are unchanged and every call
    /// is still ahead.
    static func keptCalls(_ item: Store.ChangedBooking, now: Date) -> [PrepCall]? {
        guard let previous = item.previous, previous.status == .booked, item.booking.status == .booked,
              previous.meeting.start == item.booking.meeting.start, previous.mediator == item.booking.mediator,
              !item.previousCalls.isEmpty, item.previousCalls.allSatisfy({ $0.start > now }) else { return nil }
        let roles = { (booking: Booking) in CallPlanner.callGroups(booking).map { Set($0.map { booking.parties[$0].role }) } }
        guard roles(previous) == roles(item.booking),
              item.previousCalls.map({ Set($0.with) }) == roles(item.booking) else { return nil }
        return item.previousCalls
    }
}
