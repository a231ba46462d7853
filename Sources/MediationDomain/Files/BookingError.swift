/// One thing wrong with one booking in one file: names the file, the record
/// (its position, and its reference when it has one) and the field.
public struct BookingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's name as the administrator sees it.
    public var file: String
    /// 1-based position of the record in the file (the row for CSV).
    public var record: Int
    /// The record's reference, when it could be read.
    public var reference: String?
    /// A JSON-style path to the field, e.g. `parties[1].email`.
    public var field: String
    public var message: String

    public init(file: String, record: Int, reference: String?, field: String, message: String) {
        self.file = file
        self.record = record
        self.reference = reference
        self.field = field
        self.message = message
    }

    public var description: String {
        let ref = reference.map { " (\($0))" } ?? ""
        return "\(file): record \(record)\(ref): field '\(field)': \(message)"
    }
}

/// Every error found in one booking file; the file is rejected as a whole.
public struct BookingFileError: Error, Sendable, CustomStringConvertible {
    public var errors: [BookingError]

    public init(_ errors: [BookingError]) { self.errors = errors }

    /// One error a line; a file with very many lists the first
    /// ``BookingLimits/errorsListed`` and counts the rest.
    public var description: String {
        let listed = errors.prefix(BookingLimits.errorsListed).map(\.description)
        let more = errors.count - listed.count
        return (listed + (more > 0 ? ["… and \(more) more errors in this file"] : [])).joined(separator: "\n")
    }
}
