import Foundation
import MDRSTestSupport

/// One run of the real `mdrsctl` binary: its exit status and output.
struct CommandRun {
    let status: Int32
    let stdout: String
    let stderr: String

    static func mdrsctl(_ arguments: [String]) throws -> CommandRun {
        try run(TestEnvironment.executable("mdrsctl"), arguments)
    }

    /// `mdrsctl` on a thread of its own (see ``runDetached(_:_:)``).
    static func mdrsctlDetached(_ arguments: [String]) async throws -> CommandRun {
        try await runDetached(TestEnvironment.executable("mdrsctl"), arguments)
    }

    /// Runs `program` to the end on a thread of its own, for long runs: a
    /// test waiting on a pipe must not hold one of the few threads every
    /// test in the process shares.
    static func runDetached(_ program: URL, _ arguments: [String]) async throws -> CommandRun {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(program, arguments) }) }.start()
        }
    }

    /// Runs `program` to the end.
    static func run(_ program: URL, _ arguments: [String]) throws -> CommandRun {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                          stderr: String(decoding: stderr, as: UTF8.self))
    }
}
