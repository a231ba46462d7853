import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Act on queued emails: send a dead letter or skipped email again.",
        subcommands: [Retry.self])

    struct Retry: AsyncParsableCommand {
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

        func run() async throws {
            let store = try await options.instance().store
            guard let job = try await storeCall({ () async throws(StoreError) in try await store.requeue(id, now: Date()) }) else {
                throw CommandFailure("mdrsctl: no job \(id)")
            }
            print("job \(job.id) (\(job.message.rawValue) for \(job.bookingReference ?? job.recipient.roleName)) is queued to send now")
            await store.record("retry", "job \(job.id)\(job.bookingReference.map { " (\($0))" } ?? "")")
        }
    }
}
