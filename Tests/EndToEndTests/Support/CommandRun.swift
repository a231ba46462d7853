import Foundation
import MDRSTestSupport

/// The real `mdrsctl` binary.
extension CommandRun {
    static func mdrsctl(_ arguments: [String]) throws -> CommandRun {
        try run(TestEnvironment.executable("mdrsctl"), arguments)
    }

    /// `mdrsctl` on a thread of its own (see ``runDetached(_:_:)``).
    static func mdrsctlDetached(_ arguments: [String]) async throws -> CommandRun {
        try await runDetached(TestEnvironment.executable("mdrsctl"), arguments)
    }
}
