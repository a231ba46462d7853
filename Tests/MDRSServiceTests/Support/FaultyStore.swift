import Foundation
import MediationDomain
import Store
import Synchronization

/// A real store with faults switched on by the test: the calls named in
/// `failing` throw a transient error, as a full disk or a held lock would.
final class FaultyStore: MDRSStore {
    enum Call: Hashable { case job, claim, finish, raise, ingest, recordBounce, booking }

    let base: any MDRSStore
    let failing = Mutex<Set<Call>>([])

    init(_ base: any MDRSStore) { self.base = base }

    var location: String { "faulty " + base.location }
    var isShared: Bool { base.isShared }

    private func check(_ call: Call) throws(StoreError) {
        if failing.withLock({ $0.contains(call) }) { throw StoreError(.full, "database or disk is full (test)") }
    }

    func ingest(_ bookings: BookingFeed, planner: BookingPlanner, now: Date, isCancelled: @escaping @Sendable () -> Bool)
    async throws(StoreError) -> IngestResult {
        try check(.ingest)
        return try await base.ingest(bookings, planner: planner, now: now, isCancelled: isCancelled)
    }
    func replan(_ kinds: Set<MessageKind>, planner: BookingPlanner, now: Date) async throws(StoreError) -> [ScheduledJob] {
        try await base.replan(kinds, planner: planner, now: now)
    }
    func booking(_ reference: String) async throws(StoreError) -> Booking? {
        try check(.booking)
        return try await base.booking(reference)
    }
    func bookingCount() async throws(StoreError) -> Int { try await base.bookingCount() }
    func purge(_ cutoffs: RetentionCutoffs, now: Date, dryRun: Bool) async throws(StoreError) -> PurgeReport {
        try await base.purge(cutoffs, now: now, dryRun: dryRun)
    }
    func erase(_ reference: String, now: Date) async throws(StoreError) -> Bool { try await base.erase(reference, now: now) }
    func export(_ reference: String) async throws(StoreError) -> BookingRecordExport? { try await base.export(reference) }
    func audit(_ entry: AuditEntry) async throws(StoreError) { try await base.audit(entry) }
    func auditTrail(from: Date?, limit: Int) async throws(StoreError) -> [AuditEntry] { try await base.auditTrail(from: from, limit: limit) }
    func announcedVersion(of reference: String, partyIndex: Int, before version: Int) async throws(StoreError) -> Booking? {
        try await base.announcedVersion(of: reference, partyIndex: partyIndex, before: version)
    }
    func bookings(meetingFrom from: Date?, to: Date?, after cursor: BookingCursor?, limit: Int) async throws(StoreError) -> [Booking] {
        try await base.bookings(meetingFrom: from, to: to, after: cursor, limit: limit)
    }
    func meetings(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [Booking] {
        try await base.meetings(from: from, to: to, mediator: mediator)
    }
    func calls(from: Date, to: Date, mediator: String?) async throws(StoreError) -> [PrepCall] {
        try await base.calls(from: from, to: to, mediator: mediator)
    }
    func calls(booking reference: String) async throws(StoreError) -> [PrepCall] { try await base.calls(booking: reference) }
    func bookingWithCalls(_ reference: String) async throws(StoreError) -> (booking: Booking, calls: [PrepCall])? {
        try check(.booking)
        return try await base.bookingWithCalls(reference)
    }
    func cancelledCalls(booking reference: String) async throws(StoreError) -> [PrepCall] { try await base.cancelledCalls(booking: reference) }
    func unscheduledCalls(meetingsFrom from: Date, to: Date, mediator: String?) async throws(StoreError) -> [UnscheduledCall] {
        try await base.unscheduledCalls(meetingsFrom: from, to: to, mediator: mediator)
    }
    func wasToldOfCall(booking reference: String, partyIndex: Int) async throws(StoreError) -> Bool {
        try await base.wasToldOfCall(booking: reference, partyIndex: partyIndex)
    }
    func job(messageID: String) async throws(StoreError) -> Job? { try await base.job(messageID: messageID) }
    func record(_ notice: BounceNotice, now: Date) async throws(StoreError) -> BounceRecorded? {
        try check(.recordBounce)
        return try await base.record(notice, now: now)
    }
    func hasBounced(booking reference: String, address: String) async throws(StoreError) -> Bool {
        try await base.hasBounced(booking: reference, address: address)
    }
    func bounceTally(since: Date) async throws(StoreError) -> [BounceNotice.Outcome: Int] { try await base.bounceTally(since: since) }
    func job(_ id: Int64) async throws(StoreError) -> Job? {
        try check(.job)
        return try await base.job(id)
    }
    func jobs(_ query: JobQuery, after cursor: JobCursor?, limit: Int) async throws(StoreError) -> [Job] {
        try await base.jobs(query, after: cursor, limit: limit)
    }
    func due(before horizon: Date) async throws(StoreError) -> [ScheduledJob] { try await base.due(before: horizon) }
    func counts() async throws(StoreError) -> [JobState: Int] { try await base.counts() }
    func nextDue() async throws(StoreError) -> Date? { try await base.nextDue() }
    func claim(_ id: Int64, now: Date, leaseUntil: Date) async throws(StoreError) -> Job? {
        try check(.claim)
        return try await base.claim(id, now: now, leaseUntil: leaseUntil)
    }
    func finish(_ id: Int64, _ outcome: JobOutcome, now: Date) async throws(StoreError) {
        try check(.finish)
        try await base.finish(id, outcome, now: now)
    }
    func release(_ id: Int64, until due: Date, reason: WaitReason, note: String, now: Date) async throws(StoreError) {
        try await base.release(id, until: due, reason: reason, note: note, now: now)
    }
    func nextLeaseEnd() async throws(StoreError) -> Date? { try await base.nextLeaseEnd() }
    func requeue(_ id: Int64, now: Date) async throws(StoreError) -> Job? { try await base.requeue(id, now: now) }
    func recoverInterruptedSends(now: Date, all: Bool) async throws(StoreError) -> Int {
        try await base.recoverInterruptedSends(now: now, all: all)
    }
    func retryConfigurationWaits(now: Date) async throws(StoreError) -> [ScheduledJob] { try await base.retryConfigurationWaits(now: now) }
    func raise(_ alerts: [StaffAlert], now: Date) async throws(StoreError) -> [ScheduledJob] {
        try check(.raise)
        return try await base.raise(alerts, now: now)
    }
    func alerts(inDigest jobID: Int64) async throws(StoreError) -> [RaisedAlert] { try await base.alerts(inDigest: jobID) }
    func deliveries(from: Date, to: Date) async throws(StoreError) -> [Delivery] { try await base.deliveries(from: from, to: to) }
    func lastDelivery() async throws(StoreError) -> (at: Date, outcome: String)? { try await base.lastDelivery() }
    func externalChanges() throws(StoreError) -> AsyncStream<StoreChange> { try base.externalChanges() }
}
