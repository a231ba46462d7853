/// What storing a booking did.
public enum IngestOutcome: Sendable, Equatable {
    /// A new reference.
    case created(jobsAdded: Int)
    /// A higher version replaced the stored one.
    case updated(fromVersion: Int, jobsAdded: Int, jobsCancelled: Int)
    /// The same version with the same content: nothing changed.
    case unchanged
}
