public import Foundation

/// A bench's command line: `BINARIES PYTHON WORK`, then `--flag value` pairs
/// from `known`; anything else is an error naming it.
public struct BenchArguments {
    /// The folder of the release binaries.
    public let binaries: String
    /// The Python with the test dependencies (the SMTP sink).
    public let python: String
    /// Where the bench keeps its files.
    public let work: URL
    /// Each flag given, by name (`--bookings`), with its value.
    public let flags: [String: String]

    /// Parses `arguments`; `usage` is the error when the three folders are missing.
    public init(_ arguments: [String], usage: String, known: Set<String>) throws {
        guard arguments.count >= 3 else { throw BenchError(usage) }
        binaries = arguments[0]
        python = arguments[1]
        work = URL(fileURLWithPath: arguments[2])
        var flags: [String: String] = [:]
        var rest = arguments.dropFirst(3)[...]
        while let flag = rest.popFirst() {
            guard known.contains(flag) else { throw BenchError("unknown option \(flag)") }
            flags[flag] = rest.popFirst() ?? ""
        }
        self.flags = flags
    }
}
