import ArgumentParser
import Foundation
import Logging
import Mailer
import MDRSService
import MediationDomain
import Messages
import Store

struct Preview: AsyncParsableCommand {
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

    func run() async throws {
        let instance = try await options.instance()
        guard let kind = MessageKind(rawValue: message), kind != .adminAlert else {
            throw ValidationError("unknown message '\(message)'; one of \(MessageKind.allCases.filter { $0 != .adminAlert }.map(\.rawValue).joined(separator: ", "))")
        }
        let job = try await previewJob(kind, instance: instance)
        let resolver = JobResolver(store: instance.store, config: instance.config)
        let resolved: JobResolver.Resolved
        switch try await storeCall({ () async throws(StoreError) in try await resolver.resolve(job) }) {
        case .success(let found): resolved = found
        case .failure(let reason): throw CommandFailure("mdrsctl: nothing would be sent: \(reason)")
        }
        var subject = resolved.subject
        if let locale, case .party(var booking, let index, let mediator, let call, let calls, let previous) = subject {
            booking.parties[index].language = locale
            subject = .party(booking, index: index, mediator: mediator, call: call, calls: calls, previous: previous)
        }
        guard let (email, used) = instance.builder.email(kind, about: subject, jobKey: job.key, now: Date()) else {
            throw CommandFailure("mdrsctl: the recipient has no email address")
        }
        if let locale, locale != used {
            FileHandle.standardError.write(Data("note: no '\(locale)' templates for \(kind.rawValue); showing '\(used)'\n".utf8))
        }
        FileHandle.standardOutput.write(email.data)
    }

    /// A job like the one the daemon holds or would hold for the stored
    /// booking, its key made as the planner makes it.
    private func previewJob(_ kind: MessageKind, instance: Instance) async throws -> Job {
        let zone = instance.config.planning.zone
        if kind == .mediatorAgenda {
            guard let mediator, let day, let date = LocalDate(iso: day),
                  let due = LocalDateTime(date: date, time: LocalTime(hour: 12, minute: 0)!).earliestInstant(in: zone) else {
                throw ValidationError("mediator_agenda needs --mediator ID and --day YYYY-MM-DD")
            }
            return Job(id: 0, key: DedupeKey.agenda(mediator: mediator, day: date), bookingReference: nil, bookingVersion: 0,
                       message: kind, recipient: .mediator(mediator), due: due, state: .pending)
        }
        guard let booking else { throw ValidationError("\(kind.rawValue) needs --booking REF") }
        let store = instance.store
        guard let stored = try await storeCall({ () async throws(StoreError) in try await store.booking(booking) }) else {
            throw CommandFailure("mdrsctl: no booking \(booking)")
        }
        let calls = try await storeCall { () async throws(StoreError) in try await store.calls(booking: booking) }
        let plan = instance.config.messagePlanner.plan(stored, previous: nil, calls: calls, now: Date())
        func job(_ key: String, _ recipient: JobRecipient) -> Job {
            Job(id: 0, key: key, bookingReference: stored.reference, bookingVersion: stored.version, message: kind, recipient: recipient,
                due: Date(), state: .pending)
        }
        if kind == .certificateDue {
            let planned = plan.first { $0.message == .certificateDue }
            let offset = instance.config.reminders.first { $0.message == .certificateDue }?.offset ?? ReminderRule.Offset(amount: 0, unit: .days)
            let deadline = MessagePlanner.certificateDeadline(stored, calendar: instance.config.calendar)?.day ?? stored.meeting.local.date
            return job(planned?.key ?? DedupeKey.certificate(reference: stored.reference, deadline: deadline, offset: offset),
                       .mediator(stored.mediator))
        }
        guard let role, let wanted = Role(rawValue: role) else {
            throw ValidationError("\(kind.rawValue) needs --role ROLE, one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let index = stored.parties.firstIndex(where: { $0.role == wanted && $0.email != nil }) else {
            throw CommandFailure("mdrsctl: \(booking) has no \(role) with an email address")
        }
        let recipient = JobRecipient.party(index: index, role: wanted)
        let planned = plan.first { $0.message == kind && $0.recipient == recipient }
        return job(planned?.key ?? DedupeKey.announcement(kind, reference: stored.reference, version: stored.version, role: wanted, index: index),
                   recipient)
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
        let instance = try await options.instance()
        let start = LocalDateTime(date: LocalDate(Date().addingTimeInterval(14 * 86_400), zoneID: "Europe/London"),
                                  time: LocalTime(hour: 10, minute: 0)!)
        let sample = Booking(
            reference: "MDRS-TEST", version: 1, status: .booked, kind: .mediation, grounds: [.planContents], requestedOn: nil,
            decisionLetterOn: nil, healthIssues: false, child: Child(initials: "T.T.", age: 9),
            meeting: Meeting(local: start, timezone: "Europe/London", start: try start.instant(in: "Europe/London"),
                             durationMinutes: 120, venue: "Community Centre, Room 2 (test)", onlineURL: nil),
            mediator: "test", parties: [Party(role: .parent, name: "Test Recipient", email: to)])
        let key = "send-test.\(Int(Date().timeIntervalSince1970))"
        guard let (email, _) = instance.builder.email(.bookingConfirmation, about: .party(sample, index: 0, mediator: nil, call: nil, calls: [], previous: nil),
                                                      jobKey: key, now: Date()) else { return }
        let transport = try instance.makeTransport(logger: .init(label: "mdrsctl"))
        do {
            let receipt = try await transport.send(MailEnvelope(email))
            print("sent \(email.messageID) to \(to): \(receipt.reply)")
        } catch {
            throw CommandFailure("mdrsctl: send-test failed: \(error)")
        }
    }
}
