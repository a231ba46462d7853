import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Purge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase the personal data past [retention] now, as the daemon does daily.",
        discussion: """
        Bookings whose meeting ended (or which were cancelled) more than retention.personal_data_days ago lose \
        their parties' names, addresses, numbers and unavailable times, the child's initials, venue and link; \
        their delivery log keeps only times, kinds, roles, outcomes and codes; their outbox files are deleted. \
        Rendered copies older than retention.rendered_copy_days are cleared. --dry-run says what would go.
        """)
    @OptionGroup var options: ConfigOption
    @Flag(help: "Say what would be erased, and erase nothing.") var dryRun = false

    func run() async throws {
        let instance = try await options.instance()
        if instance.config.retention.personalDataDays == nil {
            FileHandle.standardError.write(Data("""
                warning: [retention] personal_data_days is not set, so no booking's personal data is erased; \
                set it from the service's retention schedule\n
                """.utf8))
        }
        let purger = Purger(store: instance.store, config: instance.config)
        let outcome = try await storeCall { () async throws(StoreError) in
            try await purger.run(now: Date(), dryRun: dryRun, actor: Invoker.name)
        }
        let verb = dryRun ? "would erase" : "erased"
        print("\(verb): personal data of \(outcome.report.bookings.count) bookings, \(outcome.report.renderedCopies) rendered copies, "
              + "\(outcome.outboxFiles) outbox files")
        for reference in outcome.report.bookings { print("  \(reference)") }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The audit trail: who imported, cancelled, retried, exported, erased, purged or reloaded what.",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the audit trail, oldest first.")
        @OptionGroup var options: ConfigOption
        @Option(help: "Only acts on or after this day, YYYY-MM-DD (the planning zone).") var from: String?
        @Option(help: "List at most this many.") var limit: Int = 1000
        @Option(help: "table or json") var format: OutputFormat = .table

        func run() async throws {
            let instance = try await options.instance()
            let start = try from.map { try dayStart($0, option: "--from", zone: instance.config.planning.zone) }
            let store = instance.store
            let entries = try await storeCall { () async throws(StoreError) in try await store.auditTrail(from: start, limit: limit) }
            let stamp = ISO8601DateFormatter()
            switch format {
            case .json:
                struct Line: Encodable { let at: String; let actor: String; let action: String; let target: String }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let lines = entries.map { Line(at: stamp.string(from: $0.at), actor: $0.actor, action: $0.action, target: $0.target) }
                FileHandle.standardOutput.write(try encoder.encode(["audit": lines]))
                FileHandle.standardOutput.write(Data("\n".utf8))
            case .table:
                print("AT (UTC)".padding(22) + "WHO".padding(16) + "WHAT".padding(9) + "TARGET")
                for entry in entries {
                    print(stamp.string(from: entry.at).padding(22) + entry.actor.padding(16) + entry.action.padding(9) + entry.target)
                }
            }
        }
    }
}
