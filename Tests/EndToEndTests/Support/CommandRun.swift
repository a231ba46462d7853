import Foundation
import MDRSTestSupport

/// The real `mdrsctl` binary.
extension CommandRun {
    /// `mdrsctl` on a thread of its own (see ``runDetached(_:_:)``).
    static func mdrsctl(_ arguments: [String]) async throws -> CommandRun {
        try await runDetached(TestEnvironment.executable("mdrsctl"), arguments)
    }
}
