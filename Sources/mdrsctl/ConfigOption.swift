import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

/// Options every command takes.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The mdrsd config file.")
    var config: String = "/etc/mdrsd/mdrsd.toml"

    /// Reads the config only, for commands that need no database.
    func loadConfig() throws -> Config {
        do {
            return try ConfigLoader.load(path: config)
        } catch {
            throw CommandFailure("mdrsctl: \(error)")
        }
    }

    /// Opens the instance; state files are private whatever the umask.
    func instance() throws -> Instance {
        umask(0o077)
        do {
            return try Instance(configPath: config)
        } catch {
            throw CommandFailure("mdrsctl: \(error)")
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Errors are printed to stderr with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
