import ArgumentParser
import Foundation
import Logging
import Mailer
import MDRSService
import MediationDomain
import SQLiteStore
import Store

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the real scheduler on a virtual clock over a copy of the database: see what the coming days would send.",
        discussion: """
        The database is copied first; the real one is never changed. Emails go through the configured transport \
        with the virtual Date: header. With transport = "smtp" that would reach real people, so it needs --outbox \
        DIR (write .eml files instead) or --send-smtp. Times are local (the [planning] zone) or carry an offset: \
        2027-03-22T08:00 or 2027-03-22T08:00:00Z.
        """)

    @OptionGroup var options: ConfigOption
    @Option(help: "Where the virtual clock starts (default: now).") var from: String?
    @Option(help: "Where it stops (default: 7 days after --from).") var to: String?
    @Option(help: "Write the emails as .eml files into this folder instead of the configured transport.") var outbox: String?
    @Flag(help: "Really send through the configured SMTP relay.") var sendSmtp = false
    @Option(help: "Keep the simulated database here (default: a temporary file, removed).") var keepDatabase: String?
    @Option(help: "table or json") var format: OutputFormat = .table

    func run() async throws {
        let real = try await options.instance()
        let zone = real.config.planning.zone
        let start = try from.map { try Self.time($0, zone: zone) } ?? Date()
        let end = try to.map { try Self.time($0, zone: zone) } ?? start.addingTimeInterval(7 * 86_400)
        guard start < end else { throw ValidationError("--to must be after --from") }
        let transport: any MailTransport
        if let outbox {
            // Nobody reads it while it fills: no write-aside-and-rename.
            transport = try FileTransport(directory: URL(fileURLWithPath: outbox), atomic: false)
        } else if case .smtp = real.config.transport, !sendSmtp {
            throw ValidationError("the configured transport is smtp: give --outbox DIR, or --send-smtp to really send")
        } else {
            transport = try real.makeTransport(logger: Logger(label: "mdrsctl"))
        }
        let path = keepDatabase ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("mdrsd-simulation-\(ProcessInfo.processInfo.processIdentifier).sqlite").path
        defer { if keepDatabase == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } } }
        let sandbox: SQLiteStore
        if let sqlite = real.store as? SQLiteStore {
            sandbox = try sqlite.copy(to: path)
        } else if let source = real.store as? any TableCopying {
            // PostgreSQL: its rows into a throwaway SQLite file.
            sandbox = try SQLiteStore(path: path, durable: false)
            _ = try await storeCall { () async throws(StoreError) in try await StoreCopier.copy(from: source, to: sandbox) }
        } else {
            throw CommandFailure("mdrsctl: \(real.store.location) cannot be copied for a simulation")
        }
        let copy = try Instance(config: real.config, store: sandbox)
        var logger = Logger(label: "mdrsctl.simulate")
        logger.logLevel = .error
        let events = try await Simulation(instance: copy, transport: transport, logger: logger).run(from: start, to: end)
        switch format {
        case .json:
            try printJSON(SimulationReport(from: LocalDateTime.iso8601(start, zoneID: zone), to: LocalDateTime.iso8601(end, zoneID: zone),
                                           events: events.map { SimulatedLine($0, zone: zone) }))
        case .table:
            print("simulated \(LocalDateTime.iso8601(start, zoneID: zone)) to \(LocalDateTime.iso8601(end, zoneID: zone)): \(events.count) event(s)")
            for event in events {
                let what = event.booking.isEmpty ? event.message : "\(event.message) \(event.booking)"
                print("\(LocalDateTime.iso8601(event.at, zoneID: zone))  \(event.outcome.padding(9))\(what.padding(45))\(event.role)"
                      + (event.outcome == "sent" ? "" : "  (\(event.detail))"))
            }
        }
    }

    static func time(_ text: String, zone: String) throws -> Date {
        if let local = LocalDateTime(iso: text), let instant = local.earliestInstant(in: zone) { return instant }
        if let instant = ISO8601DateFormatter().date(from: text) { return instant }
        throw ValidationError("'\(text)' is not a time like 2027-03-22T08:00 or 2027-03-22T08:00:00Z")
    }
}

/// `simulate --format json`: `{"from", "to", "events": [...]}`.
struct SimulationReport: Encodable {
    let from: String, to: String
    let events: [SimulatedLine]
}

struct SimulatedLine: Encodable {
    let at: String, job: Int64, message: String, booking: String, role: String, outcome: String, detail: String

    init(_ event: Simulation.Event, zone: String) {
        at = LocalDateTime.iso8601(event.at, zoneID: zone)
        job = event.job
        message = event.message
        booking = event.booking
        role = event.role
        outcome = event.outcome
        detail = event.detail
    }
}
