public import Foundation
public import MediationDomain

/// Bookings, their versions and their preparatory calls.
public protocol BookingStore: Sendable {
    /// Stores a file's bookings with their calls, jobs and alerts in one
    /// transaction: all of them, or (when any is stale, or the work is
    /// stopped) none. Each booking is decided by `planner` from what is
    /// stored: its previous version and calls, its mediator's calls and
    /// meetings in its window, its jobs; nothing else is read.
    /// - Parameter isCancelled: asked between bookings; `true` rolls back
    ///   and throws ``StoreError/Kind/cancelled``.
    func ingest(_ bookings: BookingFeed, planner: BookingPlanner, now: Date,
                isCancelled: @escaping @Sendable () -> Bool) async throws(StoreError) -> IngestResult

    /// Plans the jobs of `kinds` for every booking still ahead again (a
    /// reload changed the reminder plan): new ones are added, unsent ones
    /// the plan no longer has are cancelled, kept ones move. Sent mail and
    /// other messages are left alone. Returns the waiting jobs it touched.
    func replan(_ kinds: Set<MessageKind>, planner: BookingPlanner, now: Date) async throws(StoreError) -> [ScheduledJob]

    /// The stored booking with this reference, or `nil`.
    func booking(_ reference: String) async throws(StoreError) -> Booking?

    /// The version of a booking the party at `partyIndex` was last told of
    /// — its latest sent confirmation or change — when older than
    /// `version` and still held, so a change can say what changed for them.
    func announcedVersion(of reference: String, partyIndex: Int, before version: Int) async throws(StoreError) -> Booking?

    /// How many bookings are stored.
    func bookingCount() async throws(StoreError) -> Int

    /// Up to `limit` bookings by meeting start then reference, starting
    /// after `cursor` (the last one of the previous page), for listings that
    /// stream without holding every booking.
    func bookings(meetingFrom from: Date?, to: Date?, after cursor: BookingCursor?, limit: Int) async throws(StoreError) -> [Booking]

    /// Booked meetings starting in `from..<to`, optionally one mediator's, by start.
    func meetings(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [Booking]

    /// Planned calls starting in `from..<to`, optionally one mediator's, by time.
    func calls(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [PrepCall]

    /// The planned calls of one booking, by time.
    func calls(booking reference: String) async throws(StoreError) -> [PrepCall]

    /// The stored booking with its planned calls by time, read together:
    /// what an email to one of its parties is about, in one read of the
    /// store rather than two.
    func bookingWithCalls(_ reference: String) async throws(StoreError) -> (booking: Booking, calls: [PrepCall])?

    /// The calls cancelled with a cancelled booking, by time.
    func cancelledCalls(booking reference: String) async throws(StoreError) -> [PrepCall]

    /// Calls no slot was found for, of meetings starting in `from..<to`.
    func unscheduledCalls(meetingsFrom from: Date, to: Date, mediator: String?) async throws(StoreError) -> [UnscheduledCall]

    /// Whether the party at `partyIndex` was sent the notice of a call of this booking.
    func wasToldOfCall(booking reference: String, partyIndex: Int) async throws(StoreError) -> Bool
}

extension BookingStore {
    /// Stores bookings already read, in one transaction.
    public func ingest(_ bookings: [Booking], planner: BookingPlanner, now: Date,
                       isCancelled: @escaping @Sendable () -> Bool) async throws(StoreError) -> IngestResult {
        try await ingest(BookingFeed(bookings), planner: planner, now: now, isCancelled: isCancelled)
    }
}

/// Where a page of ``BookingStore/bookings(meetingFrom:to:after:limit:)`` ended.
public struct BookingCursor: Sendable, Equatable {
    public var meetingStart: Date
    public var reference: String

    /// After the booking at `meetingStart` with `reference`.
    public init(meetingStart: Date, reference: String) {
        self.meetingStart = meetingStart
        self.reference = reference
    }

    /// After `booking`.
    public init(after booking: Booking) {
        self.init(meetingStart: booking.meeting.start, reference: booking.reference)
    }
}
