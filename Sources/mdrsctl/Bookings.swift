import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Bookings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show, import, cancel, export and erase bookings.",
        subcommands: [List.self, Show.self, Import.self, Cancel.self, Export.self, Erase.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored bookings by meeting time.",
            discussion: "Streams from the database, so any number of bookings lists in constant memory.")
        @OptionGroup var options: ConfigOption
        @Option(help: "Only meetings on or after this day, YYYY-MM-DD (the planning zone).") var from: String?
        @Option(help: "Only meetings before the end of this day, YYYY-MM-DD.") var to: String?
        @Option(help: "List at most this many.") var limit: Int?
        @Option(help: "table or json") var format: OutputFormat = .table

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run() async throws {
            let instance = try await options.instance()
            let zone = instance.config.planning.zone
            let start = try from.map { try dayStart($0, option: "--from", zone: zone) }
            let end = try to.map { text -> Date in
                guard let day = LocalDate(iso: text), let end = day.adding(days: 1).start(in: zone) else {
                    throw ValidationError("--to must be a date YYYY-MM-DD")
                }
                return end
            }
            var writer = format == .json ? JSONArrayWriter(key: "bookings") : nil
            if format == .table {
                print("REFERENCE".padding(20) + "VERSION".padding(9) + "STATUS".padding(11) + "KIND".padding(25) + "MEETING (LOCAL)")
            }
            try await forEachRow(limit: limit, fetch: { last, want in
                try await storeCall { () async throws(StoreError) in
                    try await instance.store.bookings(meetingFrom: start, to: end, after: last.map(BookingCursor.init(after:)), limit: want)
                }
            }) { b in
                if writer != nil {
                    try writer?.write(BookingSummary(b))
                } else {
                    print(b.reference.padding(20) + "\(b.version)".padding(9) + b.status.rawValue.padding(11)
                          + b.kind.rawValue.padding(25) + "\(b.meeting.local) \(b.meeting.timezone)")
                }
            }
            writer?.finish()
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one booking and its jobs.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The booking's reference.") var reference: String
        @Option(help: "table or json") var format: OutputFormat = .table

        func run() async throws {
            let instance = try await options.instance()
            let store = instance.store
            guard let booking = try await storeCall({ () async throws(StoreError) in try await store.booking(reference) }) else {
                throw CommandFailure("mdrsctl: no booking \(reference)")
            }
            let jobs = try await storeCall { () async throws(StoreError) in
                try await store.jobs(JobQuery(booking: reference), after: nil, limit: 10_000)
            }
            let clocks = StatutoryClocks(booking: booking, calendar: instance.config.calendar)
            switch format {
            case .json:
                try printJSON(BookingDetail(booking: booking, jobs: jobs, clocks: clocks))
            case .table:
                print("\(booking.reference) v\(booking.version) \(booking.status.rawValue) \(booking.kind.rawValue)")
                print("meeting: \(booking.meeting.local) \(booking.meeting.timezone), \(booking.meeting.durationMinutes) minutes")
                print("mediator: \(booking.mediator)")
                if let clocks {
                    print("certificate due: \(clocks.certificateDue)" + (clocks.arrangeBy.map { ", arrange by: \($0)" } ?? ""))
                    for warning in clocks.warnings { print("warning: \(warning)") }
                }
                for party in booking.parties { print("party: \(party.role.rawValue)\(party.email == nil ? " (no email)" : "")") }
                for job in jobs {
                    print("job \(job.id): \(job.message.rawValue) to \(job.recipient.roleName), \(job.state.rawValue), attempts \(job.attempts)")
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate and store booking files (JSON or CSV), each file all or nothing.",
            discussion: """
            The same as dropping the files into the spool: a running daemon notices the change and sends the new \
            emails at once, and staff are alerted of calls that could not be planned. A file with a mistake is \
            refused, naming the record and field, and nothing of it is stored.
            """)
        @OptionGroup var options: ConfigOption
        @Argument(help: "Booking files.") var files: [String]

        func run() async throws {
            let instance = try await options.instance()
            let ingestor = Ingestor(instance: instance)
            var failed = false
            // One audit entry for the run, written once the files are in
            // (a commit per file, not two).
            var imported: [(file: String, references: [String])] = []
            for file in files {
                do throws(IngestError) {
                    let report = try await ingestor.ingest(file: URL(fileURLWithPath: file), now: Date())
                    for (reference, outcome) in report.outcomes { print("\(file): \(reference): \(outcome)") }
                    imported.append(((file as NSString).lastPathComponent, report.outcomes.map(\.reference)))
                    for (reference, message) in report.warnings {
                        FileHandle.standardError.write(Data("warning: \(file): \(reference): \(message)\n".utf8))
                    }
                    for call in report.unscheduled {
                        let with = call.with.map(\.rawValue).joined(separator: "+")
                        FileHandle.standardError.write(Data(
                            "warning: \(file): \(call.booking): call with \(with) not planned: \(call.reason) (staff are alerted)\n".utf8))
                    }
                } catch {
                    let hint = if case .store(let failure) = error, failure.isTransient { " (nothing was stored; try again shortly)" } else { "" }
                    FileHandle.standardError.write(Data("\(error)\(hint)\n".utf8))
                    failed = true
                }
            }
            if !imported.isEmpty { await instance.store.record("import", Self.auditTarget(imported)) }
            if failed { throw ExitCode(1) }
        }

        /// The files and the references they held, by reference only;
        /// long lists summed up.
        static func auditTarget(_ imported: [(file: String, references: [String])]) -> String {
            func bookings(_ references: [String]) -> String {
                references.count <= 20 ? references.joined(separator: ", ")
                    : "\(references.count) bookings, \(references[0]) to \(references[references.count - 1])"
            }
            if imported.count <= 5 { return imported.map { "\($0.file): \(bookings($0.references))" }.joined(separator: "; ") }
            let all = imported.flatMap(\.references)
            return "\(imported.count) files, \(imported[0].file) to \(imported[imported.count - 1].file): \(bookings(all))"
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a booking: stores its next version with status cancelled.",
            discussion: """
            Emails not yet sent for it are cancelled and each party is told, with a calendar cancellation; the \
            calls' slots are freed. The same as importing that version from a file: a running daemon sends the \
            notices at once.
            """)
        @OptionGroup var options: ConfigOption
        @Argument(help: "The booking's reference.") var reference: String

        func run() async throws {
            let instance = try await options.instance()
            guard var booking = try await storeCall({ () async throws(StoreError) in try await instance.store.booking(reference) }) else {
                throw CommandFailure("mdrsctl: no booking \(reference)")
            }
            guard booking.status != .cancelled else {
                print("\(reference) is already cancelled (version \(booking.version))")
                return
            }
            booking.version += 1
            booking.status = .cancelled
            let report = try await storeCall { () async throws(StoreError) in
                try await Ingestor(instance: instance).store([booking], now: Date())
            }
            print("\(reference): cancelled as version \(booking.version): \(report.outcomes[0].outcome)")
            await instance.store.record("cancel", reference)
        }
    }
}
