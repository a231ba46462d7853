import Foundation
import Logging
import Mailer
import MDRSService
import MDRSTestSupport
import MediationDomain
import Messages
import Store
import Synchronization
import Testing

/// The dispatcher's decisions, with a scripted transport standing in for the
/// relay (the real relay behaviours are covered in SMTPRelayTests).
@Suite struct DispatcherTests {
    final class ScriptedTransport: MailTransport {
        let results: Mutex<[Result<DeliveryReceipt, DeliveryError>]>
        let sent = Mutex<[MailEnvelope]>([])

        init(_ results: [Result<DeliveryReceipt, DeliveryError>]) { self.results = Mutex(results) }

        func send(_ envelope: MailEnvelope) async throws(DeliveryError) -> DeliveryReceipt {
            sent.withLock { $0.append(envelope) }
            let next = results.withLock { $0.isEmpty ? .success(DeliveryReceipt(code: 250, reply: "250 ok")) : $0.removeFirst() }
            return try next.get()
        }

        var recipients: [String] { sent.withLock { $0.map(\.recipient) } }
    }

    static let meeting = Date(timeIntervalSince1970: 1_805_796_000) // Tue 23 Mar 2027 10:00 UTC
    let service = ServiceIdentity(name: "SEND Mediation Service", fromAddress: "mediation@example.org",
                                  replyTo: "mediation@example.org", phone: "0161 496 0999")

    func setUp(_ results: [Result<DeliveryReceipt, DeliveryError>], retry: RetryPolicy = RetryPolicy(jitter: 0),
               perMinute: Int? = nil, booking edit: (inout Booking) -> Void = { _ in },
               plannedAt: Date = meeting.addingTimeInterval(-7 * 86_400)) throws -> (Dispatcher, ScriptedTransport, [Job]) {
        let folder = try TestEnvironment.temporaryFolder("dispatch")
        let store = try Store(path: folder.appendingPathComponent("db.sqlite").path)
        let data = try Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json"))
        var booking = try BookingParser.parseJSON(data, file: "booking.json")[0]
        edit(&booking)
        var config = try ConfigLoader.load(path: TestEnvironment.packageRoot.appendingPathComponent("Config/mdrsd.toml").path)
        config.retry = retry
        let ingestor = Ingestor(store: store, calendar: config.calendar, rules: config.planning, mediators: config.mediators,
                                messages: config.messagePlanner)
        _ = try ingestor.store([booking], now: plannedAt)
        let templates = try LocalizedTemplates(root: TestEnvironment.packageRoot.appendingPathComponent("Config/templates").path,
                                               mainLocale: "en")
        let composer = EmailComposer(service: service)
        let transport = ScriptedTransport(results)
        let logger = Logger(label: "test")
        let alerter = AdminAlerter(address: "staff@example.org", templates: templates.main, composer: composer, transport: transport,
                                   logger: logger)
        let dispatcher = Dispatcher(store: store, config: config, builder: MessageBuilder(templates: templates, composer: composer),
                                    transport: transport, alerter: alerter,
                                    limiter: SharedRateLimiter(RateLimiter(perMinute: perMinute, perDay: nil)), logger: logger)
        return (dispatcher, transport, try store.pendingJobs())
    }

    @Test func transientFailureIsRetriedBeforeTheMeeting() async throws {
        let (dispatcher, transport, jobs) = try setUp([.failure(DeliveryError(.transient, code: 451, message: "451 try later"))])
        let now = Self.meeting.addingTimeInterval(-86_400)
        #expect(await dispatcher.dispatch(jobs[0].id, now: now) == .retry(now.addingTimeInterval(60)))
        let job = try #require(try dispatcher.store.job(jobs[0].id))
        #expect(job.state == .retry && job.attempts == 1 && job.lastError == "451 try later")
        #expect(await dispatcher.dispatch(jobs[0].id, now: now.addingTimeInterval(60)) == .sent)
        #expect(transport.recipients == ["sian@example.org", "sian@example.org"])
        // The delivery log keeps both attempts, each with what was rendered.
        let log = try dispatcher.store.deliveries(from: now, to: now.addingTimeInterval(60))
        #expect(log.map(\.outcome) == ["retry", "sent"])
        #expect(log.allSatisfy { $0.rendered?.hasPrefix("en: Your mediation meeting is booked: MDRS-2027-0142 (") == true }, "\(log.map(\.rendered))")
    }

    @Test func noRetryAfterTheEventButADeadLetterAndAnAlert() async throws {
        let (dispatcher, transport, jobs) = try setUp([.failure(DeliveryError(.transient, code: 421, message: "421 closing"))])
        let now = Self.meeting.addingTimeInterval(-30) // the next attempt would be after 10:00
        #expect(await dispatcher.dispatch(jobs[0].id, now: now) == .dead)
        #expect(try dispatcher.store.job(jobs[0].id)?.state == .dead)
        #expect(transport.recipients == ["sian@example.org", "staff@example.org"])
        let alert = String(decoding: transport.sent.withLock { $0[1].data }, as: UTF8.self)
        #expect(alert.contains("MDRS-2027-0142"))
        #expect(!alert.contains("sian@example.org"))
    }

    @Test func permanentFailureIsADeadLetterAtOnce() async throws {
        let (dispatcher, transport, jobs) = try setUp([.failure(DeliveryError(.permanent, code: 550, message: "550 no such user"))])
        #expect(await dispatcher.dispatch(jobs[0].id, now: Self.meeting.addingTimeInterval(-86_400)) == .dead)
        #expect(transport.recipients.last == "staff@example.org")
    }

    @Test func configurationFailureAlertsOnceAndKeepsTheAttempts() async throws {
        let refused = DeliveryError(.configuration, code: 535, message: "535 authentication failed")
        let (dispatcher, transport, jobs) = try setUp([.failure(refused), .failure(refused), .failure(refused)])
        let now = Self.meeting.addingTimeInterval(-86_400)
        #expect(await dispatcher.dispatch(jobs[0].id, now: now) == .retry(now.addingTimeInterval(900)))
        #expect(await dispatcher.dispatch(jobs[1].id, now: now) == .retry(now.addingTimeInterval(900)))
        #expect(try dispatcher.store.job(jobs[0].id)?.attempts == 0)
        #expect(try dispatcher.store.job(jobs[0].id)?.state == .retry)
        // One alert for both, not one per message.
        #expect(transport.recipients.filter { $0 == "staff@example.org" }.count == 1)
    }

    @Test func rateLimitDefersWithoutSending() async throws {
        let (dispatcher, transport, jobs) = try setUp([], perMinute: 2)
        let now = Self.meeting.addingTimeInterval(-86_400)
        #expect(await dispatcher.dispatch(jobs[0].id, now: now) == .sent)
        #expect(await dispatcher.dispatch(jobs[1].id, now: now.addingTimeInterval(1)) == .sent)
        #expect(await dispatcher.dispatch(jobs[2].id, now: now.addingTimeInterval(2)) == .retry(now.addingTimeInterval(60)))
        #expect(transport.recipients.count == 2)
        #expect(try dispatcher.store.job(jobs[2].id)?.state == .pending)
        #expect(await dispatcher.dispatch(jobs[2].id, now: now.addingTimeInterval(60)) == .sent)
    }

    @Test func aConfirmationAfterTheMeetingIsSkipped() async throws {
        let (dispatcher, transport, jobs) = try setUp([])
        #expect(await dispatcher.dispatch(jobs[0].id, now: Self.meeting.addingTimeInterval(60)) == .skipped("its event has passed"))
        #expect(try dispatcher.store.job(jobs[0].id)?.lastError == "its event has passed")
        #expect(transport.recipients.isEmpty)
    }

    func local(_ text: String) -> Date { LocalDateTime(iso: text)!.earliestInstant(in: "Europe/London")! }

    @Test func familyMailWaitsOutQuietHoursButOfficersGetItAtOnce() async throws {
        let (dispatcher, transport, jobs) = try setUp([])
        let night = local("2027-03-16T22:30")
        let parent = try #require(jobs.first { $0.message == "booking_confirmation" && $0.role == "parent" })
        let officer = try #require(jobs.first { $0.message == "booking_confirmation" && $0.role == "local_authority" })
        #expect(await dispatcher.dispatch(parent.id, now: night) == .held(local("2027-03-17T08:00")))
        #expect(try dispatcher.store.job(parent.id)?.due == local("2027-03-17T08:00"))
        #expect(await dispatcher.dispatch(officer.id, now: night) == .sent)
        #expect(transport.recipients == ["priya.shah@example.org"])
        #expect(await dispatcher.dispatch(parent.id, now: local("2027-03-17T08:00")) == .sent)
    }

    @Test func callMessagesCarryTheCallAndItsInvite() async throws {
        let (dispatcher, transport, jobs) = try setUp([], plannedAt: local("2027-03-01T12:00"))
        let notice = try #require(jobs.first { $0.message == "prep_call_scheduled" && $0.role == "parent" })
        #expect(await dispatcher.dispatch(notice.id, now: local("2027-03-01T12:00")) == .sent)
        let email = String(decoding: transport.sent.withLock { $0[0].data }, as: UTF8.self)
        #expect(email.contains("Subject: Your mediator will call you on Tuesday 16 March 2027, 09:00: MDRS-2027-0142"))
        #expect(email.contains("Mina Okafor"))
        #expect(email.contains("method=REQUEST"))
        // The invite is the base64 part after its headers.
        let encoded = try #require(email.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").last?
            .components(separatedBy: "\r\n--").first)
        let invite = String(decoding: try #require(Data(base64Encoded: encoded, options: .ignoreUnknownCharacters)), as: UTF8.self)
        #expect(invite.contains("UID:call.MDRS-2027-0142.family@example.org"))
        #expect(invite.contains("DTSTART;TZID=Europe/London:20270316T090000"))
        #expect(invite.contains("METHOD:REQUEST"))
    }

    @Test func aReminderForAVersionSinceReplacedIsSkipped() async throws {
        let (dispatcher, transport, jobs) = try setUp([], plannedAt: local("2027-03-01T12:00"))
        let reminder = try #require(jobs.first { $0.message == "meeting_reminder" })
        // The booking is cancelled behind the job's back (as a stale wheel entry would see it).
        var cancelled = try #require(try dispatcher.store.booking("MDRS-2027-0142"))
        cancelled.version = 2
        cancelled.status = .cancelled
        _ = try dispatcher.store.ingest([cancelled], now: local("2027-03-02T12:00")) { _, _, _ in [] }
        #expect(await dispatcher.dispatch(reminder.id, now: local("2027-03-21T10:00")) == .notPending)
        #expect(try dispatcher.store.job(reminder.id)?.state == .cancelled)
        #expect(transport.recipients.isEmpty)
    }

    @Test func theMediatorGetsTheCertificateReminderAndTheAgenda() async throws {
        let (dispatcher, transport, jobs) = try setUp([], booking: { _ in }, plannedAt: local("2027-03-01T12:00"))
        let certificate = try #require(jobs.first { $0.message == "certificate_due" })
        let agenda = try #require(jobs.first { $0.message == "mediator_agenda" && $0.due == local("2027-03-16T08:00") })
        // The shipped config's mediator has an address.
        #expect(await dispatcher.dispatch(certificate.id, now: certificate.due) == .sent)
        #expect(await dispatcher.dispatch(agenda.id, now: agenda.due) == .sent)
        #expect(transport.recipients == ["m.okafor@example.org", "m.okafor@example.org"])
        let (certificateMail, agendaMail) = transport.sent.withLock {
            (String(decoding: $0[0].data, as: UTF8.self), String(decoding: $0[1].data, as: UTF8.self))
        }
        #expect(certificateMail.contains("Subject: Mediation certificate due by Tuesday 30 March 2027: MDRS-2027-0142"))
        #expect(agendaMail.contains("09:00=E2=80=9309:30, case MDRS-2027-0142") || agendaMail.contains("09:00–09:30, case MDRS-2027-0142"))
        #expect(agendaMail.contains("0161 496 0000"))
    }

    @Test func anAgendaWithNothingLeftOnItIsSkipped() async throws {
        let (dispatcher, transport, jobs) = try setUp([], plannedAt: local("2027-03-01T12:00"))
        let agenda = try #require(jobs.first { $0.message == "mediator_agenda" && $0.due == local("2027-03-16T08:00") })
        var cancelled = try #require(try dispatcher.store.booking("MDRS-2027-0142"))
        cancelled.version = 2
        cancelled.status = .cancelled
        _ = try dispatcher.store.ingest([cancelled], now: local("2027-03-02T12:00"), planCalls: { _, _, _ in [:] }) { _, _, _ in [] }
        #expect(await dispatcher.dispatch(agenda.id, now: agenda.due) == .skipped("nothing on the agenda"))
        #expect(transport.recipients.isEmpty)
    }

    @Test func aWelshSpeakerGetsWelshWhereTranslatedAndEnglishOtherwise() async throws {
        let (dispatcher, transport, jobs) = try setUp([], booking: { $0.parties[0].language = "cy" }, plannedAt: local("2027-03-01T12:00"))
        let confirmation = try #require(jobs.first { $0.message == "booking_confirmation" && $0.role == "parent" })
        let notice = try #require(jobs.first { $0.message == "prep_call_scheduled" && $0.role == "parent" })
        #expect(await dispatcher.dispatch(confirmation.id, now: local("2027-03-01T12:00")) == .sent)
        #expect(await dispatcher.dispatch(notice.id, now: local("2027-03-01T12:00")) == .sent)
        let (welsh, english) = transport.sent.withLock {
            (String(decoding: $0[0].data, as: UTF8.self), String(decoding: $0[1].data, as: UTF8.self))
        }
        #expect(welsh.contains("Annwyl"))
        #expect(welsh.contains("Dydd Mawrth 23 Mawrth 2027"), "\(welsh)")
        #expect(welsh.contains("tua 2 awr"))
        #expect(english.contains("Dear Si"))
    }

    @Test func aCallIsCancelledOnlyForThoseWhoWereToldOfIt() async throws {
        let (dispatcher, transport, jobs) = try setUp([], plannedAt: local("2027-03-01T12:00"))
        let config = dispatcher.config
        let ingestor = Ingestor(store: dispatcher.store, calendar: config.calendar, rules: config.planning, mediators: config.mediators,
                                messages: config.messagePlanner)
        // The parent hears of the call; the local authority's notice is still queued.
        let notice = try #require(jobs.first { $0.message == "prep_call_scheduled" && $0.role == "parent" })
        #expect(await dispatcher.dispatch(notice.id, now: local("2027-03-01T12:00")) == .sent)

        var cancelled = try #require(try dispatcher.store.booking("MDRS-2027-0142"))
        cancelled.version = 2
        cancelled.status = .cancelled
        _ = try ingestor.store([cancelled], now: local("2027-03-02T12:00"))
        let callCancellations = try dispatcher.store.pendingJobs().filter { $0.message == "prep_call_cancelled" }
        #expect(callCancellations.map(\.role) == ["parent", "advocate", "local_authority"])
        var outcomes: [String: Dispatcher.Outcome] = [:]
        for job in callCancellations { outcomes[job.role] = await dispatcher.dispatch(job.id, now: local("2027-03-02T12:00")) }
        #expect(outcomes["parent"] == .sent)
        #expect(outcomes["local_authority"] == .skipped("the party was never told of a call"))
        #expect(transport.recipients == ["sian@example.org", "sian@example.org"])
        // The mediator's slot is free again; the cancelled call no longer counts as planned.
        #expect(try dispatcher.store.calls(booking: "MDRS-2027-0142").isEmpty)
    }
}
