import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Messages
import Store

struct Agenda: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The planned preparatory calls between two dates, and the calls no slot was found for.",
        discussion: "Dates are local (calendar zone of the planning rules), both included.")

    @OptionGroup var options: ConfigOption
    @Option(help: "First day, YYYY-MM-DD.") var from: String
    @Option(help: "Last day, YYYY-MM-DD.") var to: String
    @Option(help: "Only this mediator's calls.") var mediator: String?
    @Option(help: "table or json") var format: OutputFormat = .table

    func run() async throws {
        let instance = try await options.instance()
        let rules = instance.config.planning
        let store = instance.store
        guard let first = LocalDate(iso: from) else { throw ValidationError("--from must be a date YYYY-MM-DD") }
        guard let last = LocalDate(iso: to), first <= last else { throw ValidationError("--to must be a date YYYY-MM-DD, not before --from") }
        let start = try dayStart(from, option: "--from", zone: rules.zone)
        let end = try dayStart(last.adding(days: 1).description, option: "--to", zone: rules.zone)
        // Calls for meetings up to a window after the range would have fallen in it.
        let meetingsEnd = end.addingTimeInterval(TimeInterval(rules.windowDays + 1) * 86_400)
        let (calls, unscheduled) = try await storeCall { () async throws(StoreError) in
            (try await store.calls(from: start, to: end, mediator: mediator),
             try await store.unscheduledCalls(meetingsFrom: start, to: meetingsEnd, mediator: mediator))
        }
        switch format {
        case .json:
            try printJSON(AgendaJSON(
                calls: calls.map { .init(booking: $0.booking, mediator: $0.mediator, with: $0.with.map(\.rawValue),
                                         start: LocalDateTime.iso8601($0.start, zoneID: rules.zone),
                                         end: LocalDateTime.iso8601($0.end, zoneID: rules.zone)) },
                unscheduled: unscheduled.map { .init(booking: $0.booking, with: $0.with.map(\.rawValue), reason: $0.reason) }))
        case .table:
            let stamp = LocalTimeFormatter(zoneID: rules.zone)
            var day = ""
            for call in calls {
                let today = stamp.day(call.start)
                if today != day { print("\n\(today)"); day = today }
                let booking = try await storeCall { () async throws(StoreError) in try await store.booking(call.booking) }
                let who = booking?.parties.filter { call.with.contains($0.role) }
                    .map { "\($0.name) (\($0.role.rawValue)\($0.phone.map { ", \($0)" } ?? ""))" }.joined(separator: "; ") ?? ""
                print("  \(stamp.clock(call.start))-\(stamp.clock(call.end))  \(call.booking)  \(call.mediator)  \(who)")
            }
            if calls.isEmpty { print("No calls planned from \(first) to \(last).") }
            if !unscheduled.isEmpty {
                print("\nNot planned - arrange by hand:")
                for call in unscheduled {
                    print("  \(call.booking)  \(call.with.map(\.rawValue).joined(separator: " + ")): \(call.reason)")
                }
            }
        }
    }
}

/// `mdrsctl agenda --format json`.
struct AgendaJSON: Encodable {
    struct Call: Encodable { let booking, mediator: String; let with: [String]; let start, end: String }
    struct Unscheduled: Encodable { let booking: String; let with: [String]; let reason: String }
    let calls: [Call]
    let unscheduled: [Unscheduled]
}
