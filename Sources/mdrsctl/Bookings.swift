import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Bookings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and import bookings.",
        subcommands: [List.self, Show.self, Import.self, Cancel.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored bookings by meeting time.")
        @OptionGroup var options: ConfigOption
        @Option(help: "table or json") var format: OutputFormat = .table

        func run() throws {
            let bookings = try options.instance().store.bookings()
            switch format {
            case .json:
                try printJSON(["bookings": bookings.map(BookingSummary.init)])
            case .table:
                print("REFERENCE".padding(20) + "VERSION".padding(9) + "STATUS".padding(11) + "KIND".padding(25) + "MEETING (LOCAL)")
                for b in bookings {
                    print(b.reference.padding(20) + "\(b.version)".padding(9) + b.status.rawValue.padding(11)
                          + b.kind.rawValue.padding(25) + "\(b.meeting.local) \(b.meeting.timezone)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one booking and its jobs.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The booking's reference.") var reference: String
        @Option(help: "table or json") var format: OutputFormat = .table

        func run() throws {
            let instance = try options.instance()
            guard let booking = try instance.store.booking(reference) else {
                throw CommandFailure("mdrsctl: no booking \(reference)")
            }
            let jobs = try instance.store.jobs(booking: reference)
            switch format {
            case .json:
                let clocks = StatutoryClocks(booking: booking, calendar: instance.config.calendar)
                try printJSON(BookingDetail(booking: booking, jobs: jobs, clocks: clocks))
            case .table:
                print("\(booking.reference) v\(booking.version) \(booking.status.rawValue) \(booking.kind.rawValue)")
                print("meeting: \(booking.meeting.local) \(booking.meeting.timezone), \(booking.meeting.durationMinutes) minutes")
                print("mediator: \(booking.mediator)")
                if let clocks = StatutoryClocks(booking: booking, calendar: instance.config.calendar) {
                    print("certificate due: \(clocks.certificateDue)" + (clocks.arrangeBy.map { ", arrange by: \($0)" } ?? ""))
                    for warning in clocks.warnings { print("warning: \(warning)") }
                }
                for party in booking.parties { print("party: \(party.role.rawValue)\(party.email == nil ? " (no email)" : "")") }
                for job in jobs { print("job \(job.id): \(job.message) to \(job.role), \(job.state.rawValue), attempts \(job.attempts)") }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate and store booking files (JSON), each file all or nothing.",
            discussion: "A running daemon sends the new emails when it next starts (systemctl restart mdrsd); dropping the files into its spool instead sends them at once.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Booking files.") var files: [String]

        func run() throws {
            let instance = try options.instance()
            let ingestor = Ingestor(instance: instance)
            var failed = false
            for file in files {
                do {
                    let report = try ingestor.ingest(file: URL(fileURLWithPath: file), now: Date())
                    for (reference, outcome) in report.outcomes { print("\(file): \(reference): \(outcome)") }
                    for (reference, message) in report.warnings {
                        FileHandle.standardError.write(Data("warning: \(file): \(reference): \(message)\n".utf8))
                    }
                    for call in report.unscheduled {
                        let with = call.with.map(\.rawValue).joined(separator: "+")
                        FileHandle.standardError.write(Data("warning: \(file): \(call.booking): call with \(with) not planned: \(call.reason)\n".utf8))
                    }
                } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

extension Bookings {
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a booking: stores its next version with status cancelled.",
            discussion: "Emails not yet sent for it are cancelled and each party is told, with a calendar cancellation. The same as importing that version from a file; a running daemon sends the notices when it next starts (systemctl restart mdrsd).")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The booking's reference.") var reference: String

        func run() throws {
            let instance = try options.instance()
            guard var booking = try instance.store.booking(reference) else {
                throw CommandFailure("mdrsctl: no booking \(reference)")
            }
            guard booking.status != .cancelled else {
                print("\(reference) is already cancelled (version \(booking.version))")
                return
            }
            booking.version += 1
            booking.status = .cancelled
            // A cancelled meeting has no calls: planning it frees the slots.
            let outcome = try Ingestor(instance: instance).store([booking], now: Date())
            print("\(reference): cancelled as version \(booking.version): \(outcome[0])")
        }
    }
}
