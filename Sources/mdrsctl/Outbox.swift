import ArgumentParser
import Foundation
import MDRSService
import Store

struct Outbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Act on queued emails: send a dead letter or skipped email again.",
        subcommands: [Retry.self])

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a dead, skipped or waiting email back in the queue, due now, with its attempts reset.",
            discussion: """
            Find the id with `mdrsctl jobs list --state dead`. Fix the cause first (the party's address in a new \
            booking version, or the [mail] settings). A running daemon notices the change and sends it at once; \
            it is still checked against the booking as stored, so an email for an old version or a past event is \
            skipped, not sent.
            """)
        @OptionGroup var options: ConfigOption
        @Argument(help: "The job's id.") var id: Int64

        func run() throws {
            let store = try options.instance().store
            do {
                guard let job = try store.requeue(id, now: Date()) else { throw CommandFailure("mdrsctl: no job \(id)") }
                print("job \(job.id) (\(job.message) for \(job.bookingReference.isEmpty ? job.role : job.bookingReference)) is queued to send now")
            } catch let error as StoreError {
                throw CommandFailure("mdrsctl: \(error.message)")
            }
        }
    }
}
