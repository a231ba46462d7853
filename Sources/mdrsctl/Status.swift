import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How the queue stands: emails by state, the next due, dead letters, the last delivery.",
        discussion: "Answered from the database's indexes (counts and the earliest due time), however long the queue.")

    @OptionGroup var options: ConfigOption
    @Option(help: "table or json") var format: OutputFormat = .table

    struct Report: Encodable {
        let jobs: [String: Int]
        let nextDue: String?
        let lastDelivery: String?
        let lastOutcome: String?
        let bookings: Int
        let store: String

        enum CodingKeys: String, CodingKey {
            case jobs, bookings, store
            case nextDue = "next_due", lastDelivery = "last_delivery", lastOutcome = "last_outcome"
        }
    }

    func run() async throws {
        let instance = try options.instance()
        let store = instance.store
        let zone = instance.config.planning.zone
        let (counts, next, last, bookings) = try await storeCall { () async throws(StoreError) in
            (try await store.counts(), try await store.nextDue(), try await store.lastDelivery(), try await store.bookingCount())
        }
        let report = Report(jobs: Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
                            nextDue: next.map { LocalDateTime.iso8601($0, zoneID: zone) },
                            lastDelivery: last.map { LocalDateTime.iso8601($0.at, zoneID: zone) },
                            lastOutcome: last?.outcome, bookings: bookings, store: store.location)
        switch format {
        case .json:
            try printJSON(report)
        case .table:
            print("database: \(store.location)")
            print("bookings: \(report.bookings)")
            print("emails:   " + JobState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
            print("next due: \(report.nextDue ?? "nothing waiting")")
            print("last delivery: \(report.lastDelivery.map { "\($0) (\(report.lastOutcome ?? ""))" } ?? "none yet")")
            if let dead = counts[.dead], dead > 0 {
                print("\(dead) dead letter(s): see `mdrsctl jobs list --state dead`, then `mdrsctl outbox retry ID`")
            }
        }
    }
}
