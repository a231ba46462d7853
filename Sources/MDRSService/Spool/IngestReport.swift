import MediationDomain
import Store

/// What ingesting one file did, for the log and for `mdrsctl`.
public struct IngestReport: Sendable {
    public var file: String
    public var outcomes: [(reference: String, outcome: IngestOutcome)]
    /// Jobs the file added, to be put on the wheel.
    public var newJobs: [Job]
}
