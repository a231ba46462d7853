public import Foundation

/// One run of a program to its end: exit status and output.
public struct CommandRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Runs `program` to the end on a thread of its own: a test waiting on
    /// a pipe must not hold one of the few threads every test in the
    /// process shares.
    public static func runDetached(_ program: URL, _ arguments: [String]) async throws -> CommandRun {
        try await TestEnvironment.onOwnThread { try run(program, arguments) }
    }

    /// Runs `program` to the end on the calling thread: only for code that
    /// is already on a thread of its own.
    public static func run(_ program: URL, _ arguments: [String]) throws -> CommandRun {
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
