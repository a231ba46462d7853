import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

/// The administrator's command line for mdrsd.
@main
struct MDRSCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdrsctl",
        abstract: "Administer an mdrsd instance: check its config, see and retry the queue, import bookings, preview and simulate emails.",
        discussion: "Every command reads the same config file as the daemon and works on the same database. Listing commands take --format json.",
        subcommands: [CheckConfig.self, Status.self, Bookings.self, Jobs.self, Outbox.self, Holidays.self, Agenda.self, Preview.self, Gallery.self, Purge.self, Audit.self, Bounces.self,
                      SendTest.self, Simulate.self, StoreCommands.self])

    /// `mdrsctl --config PATH <command>` is the documented form, but
    /// ArgumentParser only lets a subcommand read options after its name, so
    /// `--config` is moved to the end before parsing.
    static func main() async {
        do {
            var command = try parseAsRoot(hoistingConfig(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static func hoistingConfig(_ arguments: [String]) -> [String] {
        var rest: [String] = [], config: [String] = []
        var i = 0
        while i < arguments.count {
            if arguments[i] == "--config", i + 1 < arguments.count {
                config = ["--config", arguments[i + 1]]
                i += 2
            } else if arguments[i].hasPrefix("--config=") {
                config = [arguments[i]]
                i += 1
            } else {
                rest.append(arguments[i])
                i += 1
            }
        }
        return rest + config
    }
}
