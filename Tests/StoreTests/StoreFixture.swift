import Foundation
import MDRSTestSupport
import MediationDomain
import SQLiteStore
import Store

/// A fresh store of one backend, with the planner and bookings the store
/// tests share. The contract tests run once per backend.
struct StoreFixture {
    enum Backend: String, CaseIterable {
        case sqlite
    }

    let store: any MDRSStore
    let folder: TemporaryFolder
    /// 1 March 2027, three weeks before the sample meeting.
    let now = LocalDateTime(iso: "2027-03-01T09:00")!.earliestInstant(in: "Europe/London")!

    init(_ backend: Backend) throws {
        folder = try TemporaryFolder("store")
        switch backend {
        case .sqlite: store = try SQLiteStore(path: folder.path("state/mdrsd.sqlite").path)
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
