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
}
