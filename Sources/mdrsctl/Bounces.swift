import ArgumentParser
import Foundation
import Logging
import MDRSService
import Store

struct Bounces: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the bounce mailbox now, as the daemon does every bounces.interval_seconds.",
        discussion: """
        Fetches each message not yet marked, records what it says (a failure bounces its email and raises a staff \
        alert, which the running daemon sends), and marks it. Use it to check the [bounces] settings: a mailbox \
        that cannot be read is an error naming why. Prints the messages read, by outcome.
        """)
    @OptionGroup var options: ConfigOption
    @Option(help: "table or json") var format: OutputFormat = .table

    func run() async throws {
        let instance = try await options.instance()
        guard instance.config.bounces != nil else {
            throw ValidationError("there is no [bounces] section in \(instance.config.file.path); see the README, \"Bounces\"")
        }
        // Alerts go into the store; the daemon hears of them and sends them.
        let runtime = try Runtime(instance: instance, logger: Logger(label: "mdrsctl"), scheduler: SchedulerLink())
        guard let reader = runtime.current.bounces else { throw ValidationError("bounces.imap_url cannot be used") }
        let pass: BounceReader.Pass
        do {
            pass = try await reader.readNewMessages(now: Date())
        } catch {
            FileHandle.standardError.write(Data("mdrsctl: \(error)\n".utf8))
            throw ExitCode(1)
        }
        switch format {
        case .json:
            try printJSON(pass.outcomes)
        case .table:
            if pass.outcomes.isEmpty { print("no new messages in the bounce mailbox") }
            for (outcome, count) in pass.outcomes.sorted(by: { $0.key < $1.key }) {
                print("\(outcome.replacingOccurrences(of: "_", with: " ")): \(count)")
            }
        }
    }
}
