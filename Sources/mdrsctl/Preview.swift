import ArgumentParser
import Foundation
import Logging
import Mailer
import MDRSService
import MediationDomain
import Messages
import Store

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the whole email (RFC 5322) a party of a booking would get, exactly as it would be sent.")

    @OptionGroup var options: ConfigOption
    @Argument(help: "The message: \(MessageKind.partyMessages.map(\.rawValue).joined(separator: ", ")).")
    var message: String
    @Option(help: "The booking's reference.") var booking: String
    @Option(help: "The party's role, e.g. parent, advocate, local_authority.") var role: String
    @Option(help: "Template locale; a missing one falls back to the config's, with a note.") var locale: String?

    func run() throws {
        let instance = try options.instance()
        guard let kind = MessageKind(rawValue: message), MessageKind.partyMessages.contains(kind) else {
            throw ValidationError("unknown message '\(message)'; one of \(MessageKind.partyMessages.map(\.rawValue).joined(separator: ", "))")
        }
        guard let stored = try instance.store.booking(booking) else { throw CommandFailure("mdrsctl: no booking \(booking)") }
        guard let index = stored.parties.firstIndex(where: { $0.role.rawValue == role && $0.email != nil }) else {
            throw CommandFailure("mdrsctl: \(booking) has no \(role) with an email address")
        }
        var templates = instance.templates
        if let locale, locale != instance.config.locale {
            let folder = instance.config.templates.appendingPathComponent(locale)
            if FileManager.default.fileExists(atPath: folder.path) {
                do {
                    templates = try TemplateCatalog(directory: folder.path)
                } catch {
                    throw CommandFailure("mdrsctl: \(error)")
                }
            } else {
                FileHandle.standardError.write(Data("note: no '\(locale)' templates in \(instance.config.templates.path); showing '\(instance.config.locale)'\n".utf8))
            }
        }
        let builder = MessageBuilder(templates: templates, composer: instance.composer)
        let key = "\(kind.rawValue).\(stored.reference).v\(stored.version).\(stored.parties[index].role.rawValue).\(index)"
        guard let email = builder.email(kind, booking: stored, partyIndex: index, jobKey: key, now: Date()) else { return }
        FileHandle.standardOutput.write(email.data)
    }
}

struct SendTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "Send a sample booking confirmation (fictional people) to ADDRESS through the configured transport.")

    @OptionGroup var options: ConfigOption
    @Option(help: "Where to send it.") var to: String

    func run() async throws {
        guard EmailAddress.isValid(to) else { throw ValidationError("--to must be an email address") }
        let instance = try options.instance()
        let start = LocalDateTime(date: LocalDate(Date().addingTimeInterval(14 * 86_400), zoneID: "Europe/London"),
                                  time: LocalTime(hour: 10, minute: 0)!)
        let sample = Booking(
            reference: "MDRS-TEST", version: 1, status: .booked, kind: .mediation, grounds: [.planContents], requestedOn: nil,
            decisionLetterOn: nil, healthIssues: false, child: Child(initials: "T.T.", age: 9),
            meeting: Meeting(local: start, timezone: "Europe/London", start: try start.instant(in: "Europe/London"),
                             durationMinutes: 120, venue: "Community Centre, Room 2 (test)", onlineURL: nil),
            mediator: "test", parties: [Party(role: .parent, name: "Test Recipient", email: to)])
        let builder = MessageBuilder(templates: instance.templates, composer: instance.composer)
        let key = "send-test.\(Int(Date().timeIntervalSince1970))"
        guard let email = builder.email(.bookingConfirmation, booking: sample, partyIndex: 0, jobKey: key, now: Date()) else { return }
        let transport = try instance.makeTransport(logger: .init(label: "mdrsctl"))
        do {
            let receipt = try await transport.send(MailEnvelope(sender: email.sender, recipient: email.recipient,
                                                                messageID: email.messageID, data: email.data))
            print("sent \(email.messageID) to \(to): \(receipt.reply)")
        } catch {
            throw CommandFailure("mdrsctl: send-test failed: \(error)")
        }
    }
}
