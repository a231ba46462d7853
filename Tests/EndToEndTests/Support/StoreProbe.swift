import Foundation
import MediationDomain
import PostgresStore
import SQLiteStore
import Store

/// The daemon's database, opened by the test beside the running daemon (as
/// `mdrsctl` would) to read what it stored.
struct StoreProbe {
    let store: any MDRSStore

    init(_ database: URL) throws { store = try SQLiteStore(path: database.path) }

    /// A PostgreSQL store, as one more instance.
    init(postgres url: String) async throws {
        store = try await PostgresStore.open(try PostgresSettings(url: url), instance: "test-probe")
    }

    func jobs(state: JobState? = nil) async throws -> [Job] {
        try await store.jobs(JobQuery(states: state.map { [$0] }), after: nil, limit: 100_000)
    }
    func waiting() async throws -> [Job] { try await store.jobs(.waiting, after: nil, limit: 100_000) }
    func bookings() async throws -> [Booking] { try await store.bookings(meetingFrom: nil, to: nil, after: nil, limit: 100_000) }
    func job(_ id: Int64) async throws -> Job? { try await store.job(id) }
    func booking(_ reference: String) async throws -> Booking? { try await store.booking(reference) }
}
