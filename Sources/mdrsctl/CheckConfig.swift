import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check the config, its templates and its database; exit 0 if the daemon could start with it.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        do {
            let instance = try await Instance(configPath: options.config)
            print("ok: \(instance.config.file.path)")
        } catch {
            FileHandle.standardError.write(Data("mdrsctl: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
