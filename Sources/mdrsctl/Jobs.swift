public import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The email queue: list jobs by booking or state.",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List jobs by due time.",
            discussion: "Streams from the database, so any number of jobs lists in constant memory.")
        @OptionGroup var options: ConfigOption
        @Option(help: "Only this booking's jobs.") var booking: String?
        @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
        var state: JobState?
        @Option(help: "List at most this many.") var limit: Int?
        @Option(help: "table or json") var format: OutputFormat = .table

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run() async throws {
            let store = try await options.instance().store
            let query = JobQuery(booking: booking, states: state.map { [$0] })
            var writer = format == .json ? JSONArrayWriter(key: "jobs") : nil
            if format == .table {
                let columns = [("ID", 7), ("BOOKING", 18), ("MESSAGE", 22), ("ROLE", 17), ("DUE (UTC)", 27), ("STATE", 10)]
                print(columns.map { $0.0.padding($0.1) }.joined() + "ATTEMPTS")
            }
            try await forEachRow(limit: limit, fetch: { last, want in
                try await storeCall { () async throws(StoreError) in
                    try await store.jobs(query, after: last.map(JobCursor.init(after:)), limit: want)
                }
            }) { job in
                let line = JobLine(job)
                if writer != nil {
                    try writer?.write(line)
                } else {
                    let cells = [("\(line.id)", 7), (line.booking, 18), (line.message, 22), (line.role, 17), (line.due, 27), (line.state, 10)]
                    print(cells.map { $0.0.padding($0.1) }.joined() + "\(line.attempts)")
                    if let error = line.lastError { print("       last: \(error)") }
                }
            }
            writer?.finish()
        }
    }
}

extension JobState: ExpressibleByArgument {}
