import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How the queue stands: emails by state, the next due, dead letters, the last delivery.")

    @OptionGroup var options: ConfigOption
    @Option(help: "table or json") var format: OutputFormat = .table

    struct Report: Encodable {
        let jobs: [String: Int]
        let nextDue: String?
        let lastDelivery: String?
        let lastOutcome: String?
        let bookings: Int

        enum CodingKeys: String, CodingKey {
            case jobs, bookings
            case nextDue = "next_due", lastDelivery = "last_delivery", lastOutcome = "last_outcome"
        }
    }

    func run() throws {
        let instance = try options.instance()
        let store = instance.store
        let counts = try store.jobCounts()
        let zone = instance.config.planning.zone
        let next = try store.pendingJobs().first.map { ISO8601Local.format($0.due, zone: zone) }
        let last = try store.lastDelivery()
        let report = Report(jobs: Dictionary(uniqueKeysWithValues: Job.State.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
                            nextDue: next, lastDelivery: last.map { ISO8601Local.format($0.at, zone: zone) },
                            lastOutcome: last?.outcome, bookings: try store.bookingCount())
        switch format {
        case .json:
            try printJSON(report)
        case .table:
            print("database: \(store.path)")
            print("bookings: \(report.bookings)")
            print("emails:   " + Job.State.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
            print("next due: \(next ?? "nothing waiting")")
            print("last delivery: \(report.lastDelivery.map { "\($0) (\(report.lastOutcome ?? ""))" } ?? "none yet")")
            if let dead = counts[.dead], dead > 0 {
                print("\(dead) dead letter(s): see `mdrsctl jobs list --state dead`, then `mdrsctl outbox retry ID`")
            }
        }
    }
}
