public import Foundation
public import MediationDomain
public import Store

/// Reads booking files, validates them and stores them with their calls,
/// jobs and alerts. A file goes in whole or not at all; nothing stored
/// changes on an error. The daemon's spool and `mdrsctl bookings import`
/// share it, so both plan, alert and reject alike.
public struct Ingestor: Sendable {
    public let store: any MDRSStore
    public let planner: BookingPlanner
    public let calendar: WorkingDayCalendar
    /// The configured mediators' ids: a booking naming another is rejected.
    public let mediators: Set<String>
    /// Files larger than this are rejected unread.
    public let maxFileBytes: Int

    /// An ingestor over `store` by `config`'s plan.
    public init(store: any MDRSStore, config: Config) {
        self.store = store
        planner = config.bookingPlanner
        calendar = config.calendar
        mediators = Set(config.mediators.map(\.id))
        maxFileBytes = config.maxFileBytes
    }

    /// The ingestor of an instance.
    public init(instance: Instance) { self.init(store: instance.store, config: instance.config) }

    /// Reads and validates one file (JSON or CSV) without storing it.
    public func read(file url: URL) throws(BookingFileError) -> [Booking] {
        let name = url.lastPathComponent
        let data = try BookingFile.read(url, maxBytes: maxFileBytes)
        switch url.pathExtension.lowercased() {
        case "json": return try BookingParser.parseJSON(data, file: name, mediators: mediators)
        case "csv": return try BookingCSV.parse(data, file: name, mediators: mediators)
        default:
            throw BookingFileError([BookingError(file: name, record: 1, reference: nil, field: "(file)",
                                                 message: "is not a booking file (expected .json or .csv)")])
        }
    }

    /// Parses and stores one file.
    /// - Parameter isCancelled: asked between bookings; a stop rolls back.
    public func ingest(file url: URL, now: Date, isCancelled: @escaping @Sendable () -> Bool = { false })
    async throws(IngestError) -> IngestReport {
        let bookings: [Booking]
        do {
            bookings = try read(file: url)
        } catch {
            throw .invalid(error)
        }
        do {
            return try await store(bookings, file: url.lastPathComponent, now: now, isCancelled: isCancelled)
        } catch where error.kind == .stale {
            let index = bookings.firstIndex { $0.reference == error.reference }
            throw .invalid(BookingFileError([BookingError(file: url.lastPathComponent, record: (index ?? 0) + 1,
                                                          reference: error.reference, field: "version", message: error.message)]))
        } catch {
            throw .store(error)
        }
    }

    /// Stores bookings with their calls, emails and alerts in one transaction.
    public func store(_ bookings: [Booking], file: String = "", now: Date, isCancelled: @escaping @Sendable () -> Bool = { false })
    async throws(StoreError) -> IngestReport {
        let result = try await store.ingest(bookings, planner: planner, now: now, isCancelled: isCancelled)
        let calendar = self.calendar
        let warnings = bookings.flatMap { booking in
            (StatutoryClocks(booking: booking, calendar: calendar)?.warnings ?? []).map { (booking.reference, $0) }
        }
        return IngestReport(file: file, outcomes: result.outcomes, touched: result.touched, warnings: warnings,
                            unscheduled: result.unscheduled)
    }

    /// Plans every booking's reminders and agendas again by this plan
    /// (after a reload changed it). Returns the waiting jobs it touched.
    public func replanReminders(now: Date) async throws(StoreError) -> [ScheduledJob] {
        try await store.replan(BookingPlanner.scheduledMessages, planner: planner, now: now)
    }
}
