import Foundation
import Logging
import Mailer
import MDRSService
import MDRSTestSupport
import MediationDomain
import SQLiteStore
import Store
import Synchronization

/// A transport that answers from a script, then with 250.
final class ScriptedTransport: MailTransport {
    let results: Mutex<[Result<DeliveryReceipt, DeliveryError>]>
    let sent = Mutex<[MailEnvelope]>([])

    init(_ results: [Result<DeliveryReceipt, DeliveryError>] = []) { self.results = Mutex(results) }

    func send(_ envelope: MailEnvelope) async throws(DeliveryError) -> DeliveryReceipt {
        sent.withLock { $0.append(envelope) }
        let next = results.withLock { $0.isEmpty ? .success(DeliveryReceipt(code: 250, reply: "250 ok")) : $0.removeFirst() }
        return try next.get()
    }

    var recipients: [String] { sent.withLock { $0.map(\.recipient) } }
    func text(_ index: Int) -> String { sent.withLock { String(decoding: $0[index].data, as: UTF8.self) } }
}

/// The shipped config and templates over a fresh SQLite store (with fault
/// switches), wired as the daemon wires them, with a scripted transport.
struct DispatchHarness {
    let folder: TemporaryFolder
    let store: FaultyStore
    let runtime: Runtime
    let transport: ScriptedTransport

    static let meeting = Date(timeIntervalSince1970: 1_805_796_000) // Tue 23 Mar 2027 10:00 UTC

    init(_ results: [Result<DeliveryReceipt, DeliveryError>] = [], retry: RetryPolicy = RetryPolicy(jitter: 0),
         perMinute: Int? = nil, booking edit: (inout Booking) -> Void = { _ in },
         plannedAt: Date = meeting.addingTimeInterval(-7 * 86_400)) async throws {
        folder = try TemporaryFolder("dispatch")
        store = FaultyStore(try SQLiteStore(path: folder.path("db.sqlite").path))
        var config = try ConfigLoader.load(path: TestEnvironment.config.path)
        config.retry = retry
        config.ratePerMinute = perMinute
        config.adminEmail = "staff@example.org"
        config.templates = TestEnvironment.templates
        var booking = BookingFixtures.sample
        edit(&booking)
        transport = ScriptedTransport(results)
        runtime = try Runtime(instance: try Instance(config: config, store: store), logger: Logger(label: "test"),
                              scheduler: SchedulerLink(), transport: transport)
        _ = try await runtime.current.ingestor.store([booking], now: plannedAt)
    }

    var dispatcher: Dispatcher { runtime.current.dispatcher }
    var config: Config { runtime.current.instance.config }

    func dispatch(_ id: Int64, at now: Date) async -> Dispatcher.Outcome { await dispatcher.dispatch(id, now: now) }
    func waiting() async throws -> [Job] { try await store.jobs(.waiting, after: nil, limit: 10_000) }
    func job(_ id: Int64) async throws -> Job? { try await store.job(id) }
    func first(_ message: MessageKind, _ role: String? = nil, due: Date? = nil) async throws -> Job? {
        try await waiting().first { $0.message == message && (role == nil || $0.recipient.roleName == role) && (due == nil || $0.due == due) }
    }

    /// Stores the next version of the booking, cancelled.
    func cancel(at now: Date) async throws {
        var cancelled = try await store.booking("MDRS-2027-0142")!
        cancelled.version += 1
        cancelled.status = .cancelled
        _ = try await runtime.current.ingestor.store([cancelled], now: now)
    }

    static func local(_ text: String) -> Date { LocalDateTime(iso: text)!.earliestInstant(in: "Europe/London")! }
}
