public import Foundation
public import MediationDomain
public import Store
import Synchronization

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

    /// Parses and stores one file. A JSON file is read on a thread of its
    /// own while its bookings are stored (at most a few hundred held in
    /// between); a mistake anywhere rolls all of it back.
    /// - Parameter isCancelled: asked between bookings; a stop rolls back.
    public func ingest(file url: URL, now: Date, isCancelled: @escaping @Sendable () -> Bool = { false })
    async throws(IngestError) -> IngestReport {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try BookingFile.read(url, maxBytes: maxFileBytes)
        } catch {
            throw .invalid(error)
        }
        let feed: BookingFeed
        let reader = FileReader(calendar: calendar)
        switch url.pathExtension.lowercased() {
        case "json":
            feed = BookingFeed()
            let mediators = self.mediators
            // A thread of its own: a global dispatch queue would start
            // libdispatch's once-a-second pool monitor for good.
            Thread.detachNewThread {
                do throws(BookingFileError) {
                    try BookingParser.forEachBooking(inJSON: data, file: name, mediators: mediators) { booking, record in
                        reader.note(booking, record: record)
                        return feed.put(booking)
                    }
                    feed.finish()
                } catch {
                    feed.fail(error)
                }
            }
        case "csv":
            do {
                let bookings = try BookingCSV.parse(data, file: name, mediators: mediators)
                for (offset, booking) in bookings.enumerated() { reader.note(booking, record: offset + 1) }
                feed = BookingFeed(bookings)
            } catch {
                throw .invalid(error)
            }
        default:
            throw .invalid(BookingFileError([BookingError(file: name, record: 1, reference: nil, field: "(file)",
                                                          message: "is not a booking file (expected .json or .csv)")]))
        }
        do {
            let result = try await store.ingest(feed, planner: planner, now: now, isCancelled: isCancelled)
            return IngestReport(file: name, outcomes: result.outcomes, touched: result.touched, warnings: reader.warnings,
                                unscheduled: result.unscheduled)
        } catch where error.kind == .refused {
            throw .invalid(error.cause as? BookingFileError ?? BookingFileError([
                BookingError(file: name, record: 1, reference: nil, field: "(file)", message: error.message)]))
        } catch where error.kind == .stale {
            throw .invalid(BookingFileError([BookingError(file: name, record: reader.record(of: error.reference) ?? 1,
                                                          reference: error.reference, field: "version", message: error.message)]))
        } catch {
            throw .store(error)
        }
    }

    /// Stores bookings already read, with their calls, emails and alerts,
    /// in one transaction.
    public func store(_ bookings: [Booking], file: String = "", now: Date, isCancelled: @escaping @Sendable () -> Bool = { false })
    async throws(StoreError) -> IngestReport {
        let reader = FileReader(calendar: calendar)
        for (offset, booking) in bookings.enumerated() { reader.note(booking, record: offset + 1) }
        let result = try await store.ingest(bookings, planner: planner, now: now, isCancelled: isCancelled)
        return IngestReport(file: file, outcomes: result.outcomes, touched: result.touched, warnings: reader.warnings,
                            unscheduled: result.unscheduled)
    }

    /// Plans every booking's reminders and agendas again by this plan
    /// (after a reload changed it). Returns the waiting jobs it touched.
    public func replanReminders(now: Date) async throws(StoreError) -> [ScheduledJob] {
        try await store.replan(BookingPlanner.scheduledMessages, planner: planner, now: now)
    }
}

/// What reading a file learned besides its bookings: each reference's
/// record number (for a stale version's error) and the warnings for staff.
private final class FileReader: Sendable {
    private let calendar: WorkingDayCalendar
    private let state = Mutex<(records: [String: Int], warnings: [(reference: String, message: String)])>(([:], []))

    init(calendar: WorkingDayCalendar) { self.calendar = calendar }

    func note(_ booking: Booking, record: Int) {
        let warnings = (StatutoryClocks(booking: booking, calendar: calendar)?.warnings ?? []).map { (booking.reference, $0) }
        state.withLock {
            $0.records[booking.reference] = record
            $0.warnings += warnings
        }
    }

    func record(of reference: String?) -> Int? { reference.flatMap { ref in state.withLock { $0.records[ref] } } }
    var warnings: [(reference: String, message: String)] { state.withLock { $0.warnings } }
}
