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
    func instance() async throws -> Instance {
        umask(0o077)
        do {
            return try await Instance(configPath: config)
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

/// A day given on the command line, as the instant it starts in `zone`.
func dayStart(_ text: String, option: String, zone: String) throws -> Date {
    guard let day = LocalDate(iso: text), let start = day.start(in: zone) else {
        throw ValidationError("\(option) must be a date YYYY-MM-DD")
    }
    return start
}

/// Runs a store call, turning its failure into a one-line message.
func storeCall<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        let hint = error.isTransient ? " (the database is busy or unavailable; try again shortly)" : ""
        throw CommandFailure("mdrsctl: \(error.message)\(hint)")
    }
}
