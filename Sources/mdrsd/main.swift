import Foundation
import LinuxPlatform
import Logging
import MDRSService

// State files are created 0600 in 0700 folders whatever the caller's umask.
umask(0o077)
// Before any task starts: tasks run on NIO's event loops, not libdispatch's
// workers, whose pool monitor would wake an idle daemon every second.
Pause.runTasksOnEventLoops()

let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
    usage: mdrsd --config PATH

    The mdrsd scheduling and notification daemon. Reads bookings from the
    spool folder, stores them, and sends each party the emails they need.
    Relative paths in the config resolve against the config file's folder.
    Reloads the config and templates on SIGHUP (a bad one is refused and
    the running one kept). On SIGTERM or SIGINT it takes no new email,
    finishes those in hand and exits within 10 seconds; the rest wait in
    the database for the next start.
    See `mdrsctl --help` for the queue, previews and simulation.
    """)
    exit(0)
}
guard let flag = arguments.firstIndex(of: "--config"), arguments.index(after: flag) < arguments.endIndex else {
    FileHandle.standardError.write(Data("mdrsd: --config PATH is required (see mdrsd --help)\n".utf8))
    exit(2)
}
let configPath = arguments[arguments.index(after: flag)]

let instance: Instance
do {
    instance = try await Instance(configPath: configPath)
} catch {
    FileHandle.standardError.write(Data("mdrsd: cannot start: \(error)\n".utf8))
    exit(1)
}
let level = Logger.Level(rawValue: instance.config.logLevel) ?? .info
LoggingSystem.bootstrap { JournalLogHandler(label: $0, level: level) }
let logger = Logger(label: "mdrsd")
do {
    try await Daemon(instance: instance, logger: logger).run()
} catch {
    logger.critical("mdrsd failed", metadata: ["error": "\(error)"])
    exit(1)
}
