public import MediationDomain
public import Store

/// What ingesting one file did, for the log and for `mdrsctl`.
public struct IngestReport: Sendable {
    public var file: String
    public var outcomes: [(reference: String, outcome: IngestOutcome)]
    /// The waiting jobs the file added or moved, for the wheel.
    public var touched: [ScheduledJob]
    /// Things staff should know, e.g. a mediation later than 30 days after
    /// the request: reference and message, no personal data.
    public var warnings: [(reference: String, message: String)]
    /// Preparatory calls no slot was found for (staff are alerted).
    public var unscheduled: [UnscheduledCall]
}

/// Why a booking file was not stored.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// The file is wrong: reject it, naming the record and field.
    case invalid(BookingFileError)
    /// The store is unusable for now (busy, full, stopped): keep the file
    /// and try again; or it failed otherwise.
    case store(StoreError)

    public var description: String {
        switch self {
        case .invalid(let error): error.description
        case .store(let error): error.description
        }
    }
}
