public import Foundation

/// Decides what storing one booking version changes: whether it is new, the
/// same, newer or stale; its preparatory calls (kept, planned again or
/// cancelled); its emails as a ``JobPlanDiff``; the alerts staff need. Pure:
/// the store reads what ``Input`` asks for, in its transaction, and writes
/// what the ``Decision`` says.
public struct BookingPlanner: Sendable {
    public let rules: PlanningRules
    public let calendar: WorkingDayCalendar
    public let mediators: [Mediator]
    public let messages: MessagePlanner
    private let mediatorsByID: [String: Mediator]

    /// A planner with the config's rules, calendar, mediators and reminder plan.
    public init(rules: PlanningRules, calendar: WorkingDayCalendar, mediators: [Mediator], messages: MessagePlanner) {
        self.rules = rules
        self.calendar = calendar
        self.mediators = mediators
        self.messages = messages
        mediatorsByID = Dictionary(mediators.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// How an incoming version compares with the stored one.
    public enum Comparison: Sendable, Equatable {
        /// A reference not stored before.
        case new
        /// The stored version again, same content: nothing to do.
        case unchanged
        /// A higher version: it replaces the stored one.
        case replaces(previousVersion: Int)
        /// Lower, or the same version with other content: refused.
        case stale(String)
    }

    /// Compares `booking` with what is stored under its reference.
    public static func compare(_ booking: Booking, with stored: Booking?) -> Comparison {
        guard let stored else { return .new }
        if booking.version == stored.version {
            return booking == stored ? .unchanged : .stale(
                "\(booking.reference) version \(booking.version) is already stored with other content; send a higher version to change it")
        }
        if booking.version < stored.version {
            return .stale("\(booking.reference) version \(booking.version) is older than the stored version \(stored.version)")
        }
        return .replaces(previousVersion: stored.version)
    }

    /// The span whose calls and meetings of the booking's mediator the
    /// planner must see: the days its calls may fall on.
    public func busyWindow(for booking: Booking) -> (mediator: String, from: Date, to: Date)? {
        let meetingDay = LocalDate(booking.meeting.start, zoneID: rules.zone)
        guard let from = meetingDay.adding(days: -rules.windowDays).start(in: rules.zone),
              let to = meetingDay.start(in: rules.zone) else { return nil }
        return (booking.mediator, from, to)
    }

    /// What the store read for one incoming version.
    public struct Input: Sendable {
        public var booking: Booking
        /// The stored version it replaces; `nil` for a new reference.
        public var previous: Booking?
        /// The calls planned for the previous version.
        public var previousCalls: [PrepCall]
        /// The days of the mediator's diary in ``busyWindow(for:)``: other
        /// bookings' calls and every booked meeting.
        public var busy: [BusyDay]
        /// This booking's stored jobs, sent or not.
        public var stored: [StoredJob]

        /// The inputs for one version.
        public init(booking: Booking, previous: Booking?, previousCalls: [PrepCall], busy: [BusyDay], stored: [StoredJob]) {
            self.booking = booking
            self.previous = previous
            self.previousCalls = previousCalls
            self.busy = busy
            self.stored = stored
        }
    }

    /// What to write for one incoming version.
    public struct Decision: Sendable, Equatable {
        /// What becomes of the booking's calls.
        public enum Calls: Sendable, Equatable {
            /// The stored calls stay (families were told of them).
            case keep
            /// The stored calls go; these replace them.
            case replace(CallPlan)
            /// The meeting is off: the calls are kept as cancelled, so the
            /// parties' call events can be cancelled too.
            case cancel
        }
        public var calls: Calls
        /// The calls the version has now (kept, new, or being cancelled).
        public var currentCalls: [PrepCall]
        public var jobs: JobPlanDiff
        /// For staff: calls no slot was found for.
        public var alerts: [StaffAlert]
    }

    /// Decides one version; `now` is the time it is stored.
    public func decide(_ input: Input, now: Date) -> Decision {
        let booking = input.booking
        let calls: Decision.Calls
        let current: [PrepCall]
        var alerts: [StaffAlert] = []
        if booking.status == .cancelled {
            calls = .cancel
            current = input.previousCalls
        } else if let kept = keptCalls(input, now: now) {
            calls = .keep
            current = kept
        } else {
            var planner = CallPlanner(rules: rules, calendar: calendar, mediatorsByID: mediatorsByID)
            for day in input.busy { planner.add(day, mediator: booking.mediator) }
            let plan = planner.plan(booking, now: now)
            calls = .replace(plan)
            current = plan.calls
            alerts = plan.unscheduled.map(StaffAlert.unscheduled)
        }
        let plan = messages.plan(booking, previous: input.previous, calls: current, now: now)
        let jobs = JobPlanDiff.between(plan: plan, stored: input.stored, booking: booking, now: now)
        return Decision(calls: calls, currentCalls: current, jobs: jobs, alerts: alerts)
    }

    /// A new version keeps the calls families were told about when the
    /// meeting, the mediator and who is called are unchanged and every call
    /// is still ahead.
    func keptCalls(_ input: Input, now: Date) -> [PrepCall]? {
        let booking = input.booking
        guard let previous = input.previous, previous.status == .booked, booking.status == .booked,
              previous.meeting.start == booking.meeting.start, previous.mediator == booking.mediator,
              !input.previousCalls.isEmpty, input.previousCalls.allSatisfy({ $0.start > now }) else { return nil }
        let roles = { (booking: Booking) in CallPlanner.callGroups(booking).map { Set($0.map { booking.parties[$0].role }) } }
        guard roles(previous) == roles(booking), input.previousCalls.map({ Set($0.with) }) == roles(booking) else { return nil }
        return input.previousCalls
    }

    /// The reminders and agendas of one stored booking planned again by
    /// this plan (after a reload changed it): only jobs of `kinds` change.
    public func replan(_ booking: Booking, calls: [PrepCall], stored: [StoredJob], kinds: Set<MessageKind>,
                       now: Date) -> JobPlanDiff {
        let plan = messages.plan(booking, previous: booking, calls: calls, now: now).filter { kinds.contains($0.message) }
        return JobPlanDiff.between(plan: plan, stored: stored, booking: booking, now: now, only: kinds)
    }

    /// The messages the reminder plan schedules ahead of time, which a
    /// reload that changes the plan plans again.
    public static let scheduledMessages: Set<MessageKind> = [.meetingReminder, .prepCallReminder, .certificateDue, .mediatorAgenda]
}
