public import Foundation
public import MediationDomain

/// The durable queue of emails: what the scheduler indexes and the
/// dispatcher works through.
public protocol JobQueue: Sendable {
    /// One job by id, or `nil`.
    func job(_ id: Int64) async throws(StoreError) -> Job?

    /// Up to `limit` jobs matching `query` by due time then id, after the
    /// job `cursor` (the last of the previous page).
    func jobs(_ query: JobQuery, after cursor: JobCursor?, limit: Int) async throws(StoreError) -> [Job]

    /// The waiting jobs due before `horizon`: what the scheduler's wheel
    /// holds; the rest wait in the store.
    func due(before horizon: Date) async throws(StoreError) -> [ScheduledJob]

    /// How many jobs are in each state.
    func counts() async throws(StoreError) -> [JobState: Int]

    /// When the first waiting job is due, if any.
    func nextDue() async throws(StoreError) -> Date?

    /// Moves a waiting job that is due by `now` to `sending` and counts the
    /// attempt; `nil` when it is gone, not yet due, no longer waiting
    /// (cancelled, sent) or held by another sender, who is never waited
    /// for. So of several instances that try the same job, exactly one
    /// gets it. The claim lasts until `leaseUntil`: a sender that dies
    /// holding it loses it then (see ``recoverInterruptedSends(now:all:)``).
    func claim(_ id: Int64, now: Date, leaseUntil: Date) async throws(StoreError) -> Job?

    /// Records how an attempt at a claimed job ended, and appends it to the
    /// delivery log.
    func finish(_ id: Int64, _ outcome: JobOutcome, now: Date) async throws(StoreError)

    /// Gives a claimed job back unsent, due at `due` (quiet hours), without
    /// counting the attempt.
    func release(_ id: Int64, until due: Date, reason: WaitReason, note: String, now: Date) async throws(StoreError)

    /// When the first lease of another sender's claim runs out, if any:
    /// when a sender that died holding it loses it. (SQLite keeps no
    /// owners; having one sender, it counts every claim.)
    func nextLeaseEnd() async throws(StoreError) -> Date?

    /// Puts a dead, skipped or waiting job back in the queue, due now, with
    /// its attempts reset (`mdrsctl outbox retry`); `nil` when there is no
    /// such job. Throws ``StoreError/Kind/wrongState`` for one sent, being
    /// sent or cancelled.
    func requeue(_ id: Int64, now: Date) async throws(StoreError) -> Job?

    /// Puts jobs whose sender stopped mid-send (its lease ended, or at
    /// its own start-up) back in the queue, so none is lost; the message
    /// goes again with the same Message-ID (at least once).
    /// - Parameter all: a sender starting up: every claim it made itself
    ///   (SQLite: every claim, it has one sender) as well as every ended
    ///   lease; otherwise only other senders' ended leases.
    func recoverInterruptedSends(now: Date, all: Bool) async throws(StoreError) -> Int

    /// Makes jobs waiting on a configuration failure due now (a reload
    /// changed the mail settings). Returns them.
    func retryConfigurationWaits(now: Date) async throws(StoreError) -> [ScheduledJob]
}

/// Which jobs a listing wants.
public struct JobQuery: Sendable, Equatable {
    public var booking: String?
    public var states: Set<JobState>?
    /// Only jobs due before this time.
    public var dueBefore: Date?

    /// Every job, or those of one booking, in some states, due before a time.
    public init(booking: String? = nil, states: Set<JobState>? = nil, dueBefore: Date? = nil) {
        self.booking = booking
        self.states = states
        self.dueBefore = dueBefore
    }

    /// The jobs still to be sent.
    public static let waiting = JobQuery(states: JobState.waiting)
}

/// Where a page of ``JobQueue/jobs(_:after:limit:)`` ended.
public struct JobCursor: Sendable, Equatable {
    public var due: Date
    public var id: Int64

    /// After `job`.
    public init(after job: Job) {
        due = job.due
        id = job.id
    }
}
