import MediationDomain
import Store

/// What ingesting one file did, for the log and for `mdrsctl`.
public struct IngestReport: Sendable {
    public var file: String
    public var outcomes: [(reference: String, outcome: IngestOutcome)]
    /// Jobs the file added, to be put on the wheel.
    public var newJobs: [Job]
    /// Things staff should know, e.g. a mediation later than 30 days after
    /// the request: reference and message, no personal data.
    public var warnings: [(reference: String, message: String)] = []
    /// Preparatory calls no slot was found for: staff must arrange them.
    public var unscheduled: [UnscheduledCall] = []
}
