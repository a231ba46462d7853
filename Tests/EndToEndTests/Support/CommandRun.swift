import Foundation
import MDRSTestSupport

/// One run of the real `mdrsctl` binary: its exit status and output.
struct CommandRun {
    let status: Int32
    let stdout: String
    let stderr: String

    static func mdrsctl(_ arguments: [String]) throws -> CommandRun {
        let process = Process()
        process.executableURL = TestEnvironment.executable("mdrsctl")
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
