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
        abstract: "Print the whole email (RFC 5322) that would be sent, exactly as it would be sent now.",
        discussion: """
        A party's message: preview MESSAGE --booking REF --role ROLE [--locale cy].
        The mediator's certificate reminder: preview certificate_due --booking REF.
        The mediator's agenda: preview mediator_agenda --mediator ID --day YYYY-MM-DD.
        """)

    @OptionGroup var options: ConfigOption
    @Argument(help: "The message: \(MessageKind.allCases.filter { $0 != .adminAlert }.map(\.rawValue).joined(separator: ", ")).")
    var message: String
    @Option(help: "The booking's reference.") var booking: String?
    @Option(help: "The party's role, e.g. parent, advocate, local_authority.") var role: String?
    @Option(help: "Show it in this language (e.g. cy) as if the party had asked for it; messages without a translation fall back, with a note.")
    var locale: String?
    @Option(help: "The mediator's id, for mediator_agenda.") var mediator: String?
    @Option(help: "The agenda's day, YYYY-MM-DD, for mediator_agenda.") var day: String?

    func run() throws {
        let instance = try options.instance()
        guard let kind = MessageKind(rawValue: message), kind != .adminAlert else {
            throw ValidationError("unknown message '\(message)'; one of \(MessageKind.allCases.filter { $0 != .adminAlert }.map(\.rawValue).joined(separator: ", "))")
        }
        let job = try previewJob(kind, instance: instance)
        let resolver = JobResolver(store: instance.store, config: instance.config)
        let resolved: JobResolver.Resolved
        switch try resolver.resolve(job) {
        case .success(let found): resolved = found
        case .failure(let reason): throw CommandFailure("mdrsctl: nothing would be sent: \(reason)")
        }
        var subject = resolved.subject
        if let locale, case .party(var booking, let index, let mediator, let call) = subject {
            booking.parties[index].language = locale
            subject = .party(booking, index: index, mediator: mediator, call: call)
        }
        guard let (email, used) = instance.builder.email(kind, about: subject, jobKey: job.dedupeKey, now: Date()) else {
            throw CommandFailure("mdrsctl: the recipient has no email address")
        }
        if let locale, locale != used {
            FileHandle.standardError.write(Data("note: no '\(locale)' templates for \(kind.rawValue); showing '\(used)'\n".utf8))
        }
        FileHandle.standardOutput.write(email.data)
    }

    /// A job like the one the daemon would hold, for the stored booking.
    private func previewJob(_ kind: MessageKind, instance: Instance) throws -> Job {
        if kind == .mediatorAgenda {
            guard let mediator, let day, let date = LocalDate(iso: day),
                  let due = LocalDateTime(date: date, time: LocalTime(hour: 12, minute: 0)!).earliestInstant(in: instance.config.planning.zone) else {
                throw ValidationError("mediator_agenda needs --mediator ID and --day YYYY-MM-DD")
            }
            return Job(id: 0, dedupeKey: "mediator_agenda.\(mediator).\(date)", bookingReference: "", bookingVersion: 0,
                       message: kind.rawValue, role: "mediator", partyIndex: -1, due: due, state: .pending, attempts: 0, mediator: mediator)
        }
        guard let booking else { throw ValidationError("\(kind.rawValue) needs --booking REF") }
        guard let stored = try instance.store.booking(booking) else { throw CommandFailure("mdrsctl: no booking \(booking)") }
        if kind == .certificateDue {
            return Job(id: 0, dedupeKey: "certificate_due.\(stored.reference).preview", bookingReference: stored.reference,
                       bookingVersion: stored.version, message: kind.rawValue, role: "mediator", partyIndex: -1, due: Date(),
                       state: .pending, attempts: 0)
        }
        guard let role else { throw ValidationError("\(kind.rawValue) needs --role ROLE") }
        guard let index = stored.parties.firstIndex(where: { $0.role.rawValue == role && $0.email != nil }) else {
            throw CommandFailure("mdrsctl: \(booking) has no \(role) with an email address")
        }
        return Job(id: 0, dedupeKey: "\(kind.rawValue).\(stored.reference).v\(stored.version).\(role).\(index)",
                   bookingReference: stored.reference, bookingVersion: stored.version, message: kind.rawValue, role: role,
                   partyIndex: index, due: Date(), state: .pending, attempts: 0)
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
        let key = "send-test.\(Int(Date().timeIntervalSince1970))"
        guard let (email, _) = instance.builder.email(.bookingConfirmation, about: .party(sample, index: 0, mediator: nil, call: nil),
                                                      jobKey: key, now: Date()) else { return }
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
