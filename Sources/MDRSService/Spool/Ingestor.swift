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

    public init(store: Store, calendar: WorkingDayCalendar, rules: PlanningRules, mediators: [Mediator]) {
        self.store = store
        self.calendar = calendar
        self.rules = rules
        self.mediators = mediators
    }

    /// The ingestor of an instance, with its calendar, rules and mediators.
    public init(instance: Instance) {
        let config = instance.config
        self.init(store: instance.store, calendar: config.calendar, rules: config.planning, mediators: config.mediators)
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
        // The message a version gets depends on the one before it.
        let items = bookings.map { booking in
            (booking: booking, plan: JobPlanner.plan(booking, previous: try? store.booking(booking.reference), now: now))
        }
        let outcomes: [IngestOutcome]
        var plans: [String: CallPlan] = [:]
        let (calendar, rules, mediators) = (self.calendar, self.rules, self.mediators)
        do {
            outcomes = try store.ingest(items, now: now) { changed, others, meetings in
                var planner = CallPlanner(rules: rules, calendar: calendar, mediators: mediators)
                for call in others { planner.add(call) }
                for meeting in meetings { planner.addMeeting(of: meeting) }
                for booking in changed { plans[booking.reference] = planner.plan(booking, now: now) }
                return plans
            }
        } catch {
            let index = bookings.firstIndex { $0.reference == error.reference }
            throw BookingFileError([BookingError(file: name, record: (index ?? 0) + 1, reference: error.reference,
                                                 field: error.kind == .stale ? "version" : "(file)", message: error.message)])
        }
        let waiting: Set<Job.State> = [.pending, .retry]
        let newJobs = bookings.flatMap { booking in
            ((try? store.jobs(booking: booking.reference)) ?? []).filter { waiting.contains($0.state) }
        }
        let warnings = bookings.flatMap { booking in
            (StatutoryClocks(booking: booking, calendar: calendar)?.warnings ?? []).map { (booking.reference, $0) }
        }
        return IngestReport(file: name, outcomes: zip(bookings, outcomes).map { ($0.reference, $1) }, newJobs: newJobs,
                            warnings: warnings, unscheduled: bookings.flatMap { plans[$0.reference]?.unscheduled ?? [] })
    }
}
