import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How the queue stands: emails by state, the next due, dead letters, bounces and held emails, the last delivery.",
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
        /// Emails held because an earlier one to the address bounced.
        let held: [Held]
        /// Messages read from the bounce mailbox in the last 30 days, by outcome.
        let bounceMailbox: [String: Int]

        enum CodingKeys: String, CodingKey {
            case jobs, bookings, store, held
            case nextDue = "next_due", lastDelivery = "last_delivery", lastOutcome = "last_outcome", bounceMailbox = "bounce_mailbox_30_days"
        }
    }

    /// One held email: which booking, to whom, which message.
    struct Held: Encodable {
        let id: Int64
        let booking: String
        let role: String
        let message: String
    }

    /// Held emails listed in full up to this many; the count is always exact.
    static let heldShown = 50

    func run() async throws {
        let instance = try await options.instance()
        let store = instance.store
        let zone = instance.config.planning.zone
        let (counts, next, last, bookings) = try await storeCall { () async throws(StoreError) in
            (try await store.counts(), try await store.nextDue(), try await store.lastDelivery(), try await store.bookingCount())
        }
        let (held, tally) = try await storeCall { () async throws(StoreError) in
            (try await store.jobs(JobQuery(states: [.held]), after: nil, limit: Self.heldShown),
             try await store.bounceTally(since: Date().addingTimeInterval(-30 * 86_400)))
        }
        let report = Report(jobs: Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
                            nextDue: next.map { LocalDateTime.iso8601($0, zoneID: zone) },
                            lastDelivery: last.map { LocalDateTime.iso8601($0.at, zoneID: zone) },
                            lastOutcome: last?.outcome, bookings: bookings, store: store.location,
                            held: held.map { Held(id: $0.id, booking: $0.bookingReference ?? "-", role: $0.recipient.roleName, message: $0.message.rawValue) },
                            bounceMailbox: Dictionary(uniqueKeysWithValues: tally.map { ($0.key.rawValue, $0.value) }))
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
            if let bounced = counts[.bounced], bounced > 0 {
                print("\(bounced) bounced email(s): see `mdrsctl jobs list --state bounced`; phone those people to check their address")
            }
            if let total = counts[.held], total > 0 {
                print("\(total) email(s) held because an earlier email to the address bounced; a booking file with the corrected address sends them:")
                for line in report.held { print("  \(line.id)  \(line.booking)  \(line.role)  \(line.message)") }
                if total > report.held.count { print("  … and \(total - report.held.count) more: `mdrsctl jobs list --state held`") }
            }
            if !tally.isEmpty {
                print("bounce mailbox, last 30 days: " + BounceNotice.Outcome.allCases.compactMap { outcome in
                    tally[outcome].map { "\(outcome.rawValue.replacingOccurrences(of: "_", with: " ")) \($0)" }
                }.joined(separator: ", "))
                let left = (tally[.unreadable] ?? 0) + (tally[.unmatched] ?? 0)
                if left > 0 { print("  \(left) message(s) left unread in the bounce mailbox for a person to look at") }
            }
        }
    }
}
