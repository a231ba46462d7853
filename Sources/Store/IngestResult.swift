public import MediationDomain

/// What storing one booking did.
public enum IngestOutcome: Sendable, Equatable {
    /// A new reference.
    case created(jobsAdded: Int)
    /// A higher version replaced the stored one.
    case updated(fromVersion: Int, jobsAdded: Int, jobsCancelled: Int)
    /// The same version with the same content: nothing changed.
    case unchanged
}

/// What storing a file's bookings did, in one transaction.
public struct IngestResult: Sendable {
    /// Each booking's outcome, in the file's order.
    public var outcomes: [(reference: String, outcome: IngestOutcome)]
    /// The waiting jobs the file added, moved or revived, for the wheel.
    public var touched: [ScheduledJob]
    /// Calls no slot was found for (staff were alerted).
    public var unscheduled: [UnscheduledCall]

    /// A result.
    public init(outcomes: [(reference: String, outcome: IngestOutcome)], touched: [ScheduledJob], unscheduled: [UnscheduledCall]) {
        self.outcomes = outcomes
        self.touched = touched
        self.unscheduled = unscheduled
    }

    /// Whether `booking` is to be stored over `previous`: the same version
    /// and content again is recorded as unchanged (`false`); an older
    /// version, or the same one with other content, is refused.
    public mutating func admits(_ booking: Booking, over previous: Booking?) throws(StoreError) -> Bool {
        switch BookingPlanner.compare(booking, with: previous) {
        case .new, .replaces:
            return true
        case .unchanged:
            outcomes.append((booking.reference, .unchanged))
            return false
        case .stale(let message):
            throw StoreError(.stale, message, reference: booking.reference)
        }
    }

    /// Records what storing an admitted `booking` over `previous` did: its
    /// jobs and alerts for the wheel, calls without a slot, its outcome.
    public mutating func record(_ booking: Booking, over previous: Booking?, calls: BookingPlanner.Decision.Calls,
                                jobs: (added: Int, cancelled: Int, touched: [ScheduledJob]), alerts: [ScheduledJob]) {
        touched += jobs.touched
        touched += alerts
        if case .replace(let plan) = calls { unscheduled += plan.unscheduled }
        outcomes.append((booking.reference, previous.map {
            .updated(fromVersion: $0.version, jobsAdded: jobs.added, jobsCancelled: jobs.cancelled)
        } ?? .created(jobsAdded: jobs.added)))
    }
}
