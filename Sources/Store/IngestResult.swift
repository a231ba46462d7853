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
}
