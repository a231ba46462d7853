/// Why the store refused or failed, with the error underneath.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, and so what a caller should do.
    public enum Kind: String, Sendable {
        /// The booking's version is lower than, or equal with other content
        /// to, the stored one.
        case stale
        case notFound
        /// The job is not in a state that allows the change.
        case wrongState
        /// Another writer holds the database (SQLITE_BUSY, a lock timeout):
        /// try again shortly.
        case busy
        /// The disk or the database is full: try again when there is room.
        case full
        /// The database could not be read or written (I/O, a lost
        /// connection): try again later.
        case unavailable
        /// The work was stopped (shutdown); nothing was changed.
        case cancelled
        /// The bookings being stored were refused by their reader (the file
        /// is wrong, see `cause`); nothing was changed.
        case refused
        /// The database holds something mdrsd did not write (an unknown
        /// state), or refused a statement: a person must look.
        case database
    }

    public var kind: Kind
    public var message: String
    /// The booking the error is about, when there is one.
    public var reference: String?
    /// SQLite's or PostgreSQL's own error.
    public var cause: (any Error & Sendable)?

    /// An error of `kind`.
    public init(_ kind: Kind, _ message: String, reference: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.kind = kind
        self.message = message
        self.reference = reference
        self.cause = cause
    }

    /// Whether the store is briefly unusable rather than the request bad:
    /// the work should wait and be tried again, never be rejected.
    public var isTransient: Bool { [.busy, .full, .unavailable, .cancelled].contains(kind) }

    public var description: String { message }
}
