import Foundation
import MDRSTestSupport
import MediationDomain
import PostgresStore
import SQLiteStore
import Store

/// A fresh store of one backend, with the planner and bookings the store
/// tests share. The contract tests run once per backend.
struct StoreFixture {
    enum Backend: String, CaseIterable {
        case sqlite
        case postgres
    }

    let backend: Backend
    let store: any MDRSStore
    let folder: TemporaryFolder
    /// Where the PostgreSQL database is.
    private let url: String?
    /// 1 March 2027, three weeks before the sample meeting.
    let now = LocalDateTime(iso: "2027-03-01T09:00")!.earliestInstant(in: "Europe/London")!

    init(_ backend: Backend) async throws {
        self.backend = backend
        folder = try TemporaryFolder("store")
        switch backend {
        case .sqlite:
            url = nil
            store = try SQLiteStore(path: folder.path("state/mdrsd.sqlite").path)
        case .postgres:
            let url = try await PostgresServer.database("store")
            self.url = url
            store = try await PostgresStore.open(try PostgresSettings(url: url), instance: "first")
        }
    }

    /// The same database as another process sees it: for PostgreSQL
    /// another instance, named `instance`.
    func other(_ instance: String = "second") async throws -> any MDRSStore {
        switch backend {
        case .sqlite: try SQLiteStore(path: folder.path("state/mdrsd.sqlite").path)
        case .postgres: try await PostgresStore.open(try PostgresSettings(url: url!), instance: instance)
        }
    }

    static let mediators = [Mediator(id: "m.okafor", name: "Mina Okafor", email: "m.okafor@example.org"),
                            Mediator(id: "a.bell", name: "Ann Bell", email: "a.bell@example.org")]

    /// The shipped plan, quiet hours off, the sample's mediators.
    var planner: BookingPlanner { Self.planner() }

    static func planner(reminders: [ReminderRule] = ReminderRule.defaults) -> BookingPlanner {
        BookingPlanner(rules: PlanningRules(), calendar: WorkingDayCalendar(), mediators: mediators,
                       messages: MessagePlanner(reminders: reminders, quietHours: QuietHours(from: LocalTime(hour: 0, minute: 0)!,
                                                                                              to: LocalTime(hour: 0, minute: 0)!)))
    }

    /// The sample booking (parent, advocate, local authority), edited.
    func booking(version: Int = 1, reference: String = "MDRS-2027-0142", _ edit: (inout [String: Any]) -> Void = { _ in }) -> Booking {
        BookingFixtures.booking {
            $0["version"] = version
            $0["reference"] = reference
            edit(&$0)
        }
    }

    @discardableResult
    func ingest(_ bookings: Booking..., at when: Date? = nil) async throws -> IngestResult {
        try await store.ingest(bookings, planner: planner, now: when ?? now, isCancelled: { false })
    }

    func waiting() async throws -> [Job] { try await store.jobs(.waiting, after: nil, limit: 10_000) }
    func all(_ booking: String? = nil) async throws -> [Job] { try await store.jobs(JobQuery(booking: booking), after: nil, limit: 10_000) }
}
