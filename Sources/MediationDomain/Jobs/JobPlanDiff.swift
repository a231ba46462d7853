public import Foundation

/// What a booking version's plan changes in its stored jobs: the one place
/// that decides which jobs stay, move, are cancelled or are added. Pure; the
/// store applies it in one transaction.
///
/// - A planned email whose key is stored and still unsent stays, moved to
///   this version, its party's position and (while pending) the plan's time.
///   One cancelled by an earlier version comes back: it was never sent.
/// - An unsent stored email the plan no longer has is cancelled, except an
///   announcement (confirmation, change notice) to a party this version
///   announces nothing new to: it is kept for this version, so a quick
///   correction never leaves a party untold.
/// - A planned email with a new key is added; a reminder whose moment has
///   passed is not (the booking came late).
/// - Standalone emails (agendas) are added by key, whoever else wants them.
public struct JobPlanDiff: Sendable, Equatable {
    /// A stored job kept with new details.
    public struct Move: Sendable, Equatable {
        public var id: Int64
        /// The booking version it now belongs to.
        public var bookingVersion: Int
        /// The recipient's position in this version.
        public var recipient: JobRecipient
        /// Its new due time; `nil` keeps the stored one (a retry's backoff).
        public var due: Date?
        /// Whether it was cancelled and is wanted again.
        public var revive: Bool

        /// Job `id` kept for `bookingVersion`.
        public init(id: Int64, bookingVersion: Int, recipient: JobRecipient, due: Date?, revive: Bool) {
            self.id = id
            self.bookingVersion = bookingVersion
            self.recipient = recipient
            self.due = due
            self.revive = revive
        }
    }

    public var add: [PlannedMessage] = []
    public var move: [Move] = []
    public var cancel: [Int64] = []

    /// Nothing to do.
    public var isEmpty: Bool { add.isEmpty && move.isEmpty && cancel.isEmpty }

    /// The diff between `plan` and what `stored` holds for `booking`.
    /// - Parameter kinds: only jobs of these messages are touched (a re-plan
    ///   of reminders after a reload); `nil` for all.
    public static func between(plan: [PlannedMessage], stored: [StoredJob], booking: Booking, now: Date,
                               only kinds: Set<MessageKind>? = nil) -> JobPlanDiff {
        var diff = JobPlanDiff()
        let byKey = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let planned = Set(plan.lazy.filter { !$0.standalone }.map(\.key))
        let announced = Set(plan.lazy.filter(\.message.isAnnouncement).map(\.recipient))
        for job in stored where JobState.waiting.contains(job.state) && !planned.contains(job.key) {
            if let kinds, !kinds.contains(job.message) { continue }
            if booking.status == .booked && job.message.isAnnouncement && !announced.contains(job.recipient) {
                if job.bookingVersion != booking.version {
                    diff.move.append(Move(id: job.id, bookingVersion: booking.version, recipient: job.recipient, due: nil, revive: false))
                }
            } else {
                diff.cancel.append(job.id)
            }
        }
        for message in plan {
            if message.standalone {
                diff.add.append(message)
                continue
            }
            guard let job = byKey[message.key] else {
                if !(message.onlyIfFuture && message.due <= now) { diff.add.append(message) }
                continue
            }
            switch job.state {
            case .pending, .retry:
                let due = job.state == .pending && job.due != message.due ? message.due : nil
                if due != nil || job.bookingVersion != booking.version || job.recipient != message.recipient {
                    diff.move.append(Move(id: job.id, bookingVersion: booking.version, recipient: message.recipient, due: due,
                                          revive: false))
                }
            case .cancelled where !(message.onlyIfFuture && message.due <= now):
                diff.move.append(Move(id: job.id, bookingVersion: booking.version, recipient: message.recipient, due: message.due,
                                      revive: true))
            default:
                break
            }
        }
        return diff
    }
}
