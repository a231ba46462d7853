import ArgumentParser
import Foundation
import MDRSService
import Store

struct Jobs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The email queue: list jobs by booking or state.",
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs by due time.")
        @OptionGroup var options: ConfigOption
        @Option(help: "Only this booking's jobs.") var booking: String?
        @Option(help: "Only jobs in this state: \(Job.State.allCases.map(\.rawValue).joined(separator: ", ")).")
        var state: Job.State?
        @Option(help: "table or json") var format: OutputFormat = .table

        func run() throws {
            let jobs = try options.instance().store.jobs(booking: booking, state: state)
            switch format {
            case .json:
                try printJSON(["jobs": jobs.map(JobLine.init)])
            case .table:
                print("ID".padding(7) + "BOOKING".padding(18) + "MESSAGE".padding(22) + "ROLE".padding(17) + "DUE (UTC)".padding(22)
                      + "STATE".padding(10) + "ATTEMPTS")
                for job in jobs {
                    print("\(job.id)".padding(7) + job.bookingReference.padding(18) + job.message.padding(22) + job.role.padding(17)
                          + ISO8601Local.format(job.due, zone: "UTC").padding(22) + job.state.rawValue.padding(10) + "\(job.attempts)")
                    if let error = job.lastError, job.state != .sent { print("       last: \(error)") }
                }
            }
        }
    }
}

extension Job.State: ExpressibleByArgument {}
