/// Where a job is in its life. Stored by its raw value; the store refuses
/// any other value (a CHECK constraint), and reading one is an error, never
/// a guess.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its due time.
    case pending
    /// Claimed by a sender; the message may be at the relay.
    case sending
    /// The relay accepted it.
    case sent
    /// Waiting to be tried again after a failure (or a configuration fault).
    case retry
    /// Failed for good; staff were alerted.
    case dead
    /// Not sent because it stopped being true or useful (the reason is kept).
    case skipped
    /// A newer booking version no longer wants it.
    case cancelled
    /// Accepted by the relay, then bounced back by the recipient's server.
    case bounced
    /// Not sent because an earlier email to the same address bounced; waits
    /// for a booking version with a new address.
    case held

    /// The states of a job still to be sent, named once.
    public static let waiting: Set<JobState> = [.pending, .retry]
}
