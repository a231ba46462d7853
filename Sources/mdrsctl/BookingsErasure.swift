import ArgumentParser
import Foundation
import MDRSService
import MediationDomain
import Store

extension Bookings {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print everything held about a booking, for a subject access request.",
            discussion: """
            Every stored version (with the parties' details as they were), the planned calls, each email with \
            its delivery attempts (outcome, the relay's reply, locale, subject and size), and the emails' files \
            while the outbox still holds them. The export is recorded in the audit trail.
            """)
        @OptionGroup var options: ConfigOption
        @Argument(help: "The booking's reference.") var reference: String
        @Option(help: "json (the only format: a complete record is structured).") var format: OutputFormat = .json

        func run() async throws {
            let instance = try await options.instance()
            let store = instance.store
            guard let export = try await storeCall({ () async throws(StoreError) in try await store.export(reference) }) else {
                throw CommandFailure("mdrsctl: no booking \(reference)")
            }
            var files: [String: String] = [:]
            for file in Purger(store: store, config: instance.config).outboxFiles(of: [reference]) {
                files[file.lastPathComponent] = try? String(contentsOf: file, encoding: .utf8)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            FileHandle.standardOutput.write(try encoder.encode(ExportDocument(export, files: files)))
            FileHandle.standardOutput.write(Data("\n".utf8))
            await store.record("export", reference)
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a booking's personal data now (the right to erasure).",
            discussion: """
            Names, email addresses, phone numbers, unavailable times, the child's initials, the venue and link \
            are erased from every version; emails not yet sent are cancelled; the delivery log keeps only times, \
            message kinds, roles, outcomes and reply codes; the outbox's files for it are deleted. It cannot be \
            undone, hence --yes.
            """)
        @OptionGroup var options: ConfigOption
        @Argument(help: "The booking's reference.") var reference: String
        @Flag(help: "Confirm: erasure cannot be undone.") var yes = false

        func validate() throws {
            guard yes else { throw ValidationError("erasing \(reference) cannot be undone: add --yes to confirm") }
        }

        func run() async throws {
            let instance = try await options.instance()
            let purger = Purger(store: instance.store, config: instance.config)
            guard let files = try await storeCall({ () async throws(StoreError) in
                try await purger.erase(reference, now: Date())
            }) else {
                throw CommandFailure("mdrsctl: no booking \(reference)")
            }
            print("\(reference): personal data erased, pending emails cancelled, \(files) outbox files deleted")
            await instance.store.record("erase", reference)
        }
    }
}

/// `bookings export`: the store's record, dates in ISO 8601.
struct ExportDocument: Encodable {
    /// `booking` is the stored body, embedded as JSON rather than as a string.
    struct Version: Encodable { let version: Int; let storedAt: Date; let booking: JSONValue? }
    let reference: String
    let versions: [Version]
    let calls: [Call]
    let emails: [Email]
    let outboxFiles: [String: String]

    struct Call: Encodable { let with: [String]; let state: String; let start: Date?; let end: Date? }
    struct Delivery: Encodable { let at: Date; let outcome: String; let code: Int?; let reply: String; let rendered: String? }
    struct Email: Encodable {
        let id: Int64; let message: String; let recipient: String; let state: String; let due: Date
        let messageID: String?; let deliveries: [Delivery]
    }

    init(_ export: BookingRecordExport, files: [String: String]) {
        reference = export.reference
        versions = export.versions.map { Version(version: $0.version, storedAt: $0.storedAt, booking: try? StrictJSON.parse(Data($0.body.utf8))) }
        calls = export.calls.map { Call(with: $0.with, state: $0.state, start: $0.start, end: $0.end) }
        emails = export.emails.map { email in
            Email(id: email.id, message: email.message, recipient: email.recipient, state: email.state, due: email.due,
                  messageID: email.messageID,
                  deliveries: email.deliveries.map { Delivery(at: $0.at, outcome: $0.outcome, code: $0.code, reply: $0.reply, rendered: $0.rendered) })
        }
        outboxFiles = files
    }

    enum CodingKeys: String, CodingKey {
        case reference, versions, calls, emails
        case outboxFiles = "outbox_files"
    }
}
