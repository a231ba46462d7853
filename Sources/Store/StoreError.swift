/// Why the store refused or failed.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The booking's version is lower than, or equal with other content
        /// to, the stored one.
        case stale
        case notFound
        /// The job is not in a state that allows the change.
        case wrongState
        /// SQLite or the file system failed.
        case database
    }

    public var kind: Kind
    public var message: String
    /// The booking the error is about, when there is one.
    public var reference: String?

    public init(_ kind: Kind, _ message: String, reference: String? = nil) {
        self.kind = kind
        self.message = message
        self.reference = reference
    }

    public var description: String { message }
}
