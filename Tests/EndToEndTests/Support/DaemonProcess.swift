import Foundation
import Glibc
import MDRSTestSupport

/// The real `mdrsd` binary, run on a config in a temporary folder; its log
/// goes to a file the test can read.
final class DaemonProcess {
    let process = Process()
    let log: URL

    /// - Parameters:
    ///   - journal: make the log file the daemon's "journal", by naming its
    ///     device and inode in JOURNAL_STREAM as systemd would.
    ///   - launcher: a command that runs the daemon (its arguments follow).
    init(config: URL, environment: [String: String] = [:], journal: Bool = false, launcher: [String] = []) throws {
        log = config.deletingLastPathComponent().appendingPathComponent("mdrsd.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        var environment = environment
        if journal {
            var info = stat()
            stat(log.path, &info)
            environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let command = launcher + [TestEnvironment.executable("mdrsd").path, "--config", config.path]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The daemon's resident memory now, in kibibytes (its whole process).
    var residentKiB: Int? {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true)[1]) }
    }

    func waitUntilReady() async -> Bool {
        await TestEnvironment.eventually { output.contains("mdrsd ready") }
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { _ = stop() }
}

/// A self-contained instance folder: config, state under `var/`, the
/// shipped templates.
struct InstanceFolder {
    private let temporary: TemporaryFolder
    var root: URL { temporary.url }
    var config: URL { root.appendingPathComponent("mdrsd.toml") }
    var spool: URL { root.appendingPathComponent("var/spool") }
    let databasePath: String
    var database: URL { root.appendingPathComponent(databasePath) }

    /// - Parameters:
    ///   - mail: the body of the `[mail]` section (further sections may follow).
    ///   - mediator: whether to configure `m.okafor`, the sample booking's mediator.
    ///   - quietHours: keep the standard quiet hours; off by default so a
    ///     test run at night sends family email at once like one by day.
    ///   - database: where the database goes, relative to the folder.
    init(mail: String, mediator: Bool = true, quietHours: Bool = false, database: String = "var/mdrsd.sqlite") throws {
        databasePath = database
        temporary = try TemporaryFolder("instance")
        let templates = TestEnvironment.packageRoot.appendingPathComponent("Config/templates").path
        let text = """
        [service]
        name = "SEND Mediation Service"
        from = "mediation@example.org"
        phone = "0161 496 0999"

        [paths]
        database = "\(database)"
        spool = "var/spool"
        templates = "\(templates)"

        \(quietHours ? "" : "[quiet_hours]\nfrom = \"00:00\"\nto = \"00:00\"")

        [mail]
        \(mail)

        \(mediator ? "[[mediators]]\nid = \"m.okafor\"\nname = \"Mina Okafor\"\nemail = \"m.okafor@example.org\"" : "")
        """
        try text.write(to: config, atomically: true, encoding: .utf8)
    }

    /// Adds TOML at the end of the config.
    func appendConfig(_ text: String) throws {
        let handle = try FileHandle(forWritingTo: config)
        handle.seekToEndOfFile()
        handle.write(Data(("\n" + text + "\n").utf8))
        try handle.close()
    }

    /// Drops a booking file the documented way: written aside, renamed in.
    func drop(_ data: Data, as name: String) throws {
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        let hidden = spool.appendingPathComponent(".\(name).part")
        try data.write(to: hidden)
        try FileManager.default.moveItem(at: hidden, to: spool.appendingPathComponent(name))
    }
}
