import Foundation
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// Retention as every backend must keep it: what is erased, what stays,
/// and that a new version after an erasure is purged in its turn.
@Suite struct RetentionContractTests {
    @Test(arguments: StoreFixture.Backend.allCases)
    func aPurgeErasesOnlyBookingsPastTheCutoffAndANewVersionIsPurgedAgain(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        let early = f.booking()
        let late = f.booking(reference: "MDRS-2027-0200") { $0.set("meeting.start", "2027-06-23T10:00") }
        try await f.ingest(early, late)
        // Between the two meetings: only the first has ended.
        let cutoffs = RetentionCutoffs(personalData: LocalDateTime(iso: "2027-04-01T00:00")!.earliestInstant(in: "Europe/London")!,
                                       renderedCopies: nil)
        let dry = try await f.store.purge(cutoffs, now: f.now, dryRun: true)
        #expect(dry.bookings == [early.reference])
        #expect(try await f.store.booking(early.reference)?.parties[0].email == "sian@example.org")

        let report = try await f.store.purge(cutoffs, now: f.now, dryRun: false)
        #expect(report.bookings == [early.reference])
        let erased = try #require(try await f.store.booking(early.reference))
        #expect(erased.parties.allSatisfy { $0.name == Booking.erased && $0.email == nil && $0.phone == nil && $0.unavailable.isEmpty })
        #expect(erased.child.initials == Booking.erased && erased.child.age == early.child.age && erased.kind == early.kind)
        #expect(try await f.all(early.reference).allSatisfy { !JobState.waiting.contains($0.state) })
        #expect(try await f.store.booking(late.reference)?.parties[0].email == "sian@example.org")
        #expect(try await f.store.purge(cutoffs, now: f.now, dryRun: true).bookings.isEmpty, "an erased booking is purged once")

        // A newer version brings personal data again: it is purged in its turn.
        let again = f.booking(version: 2) { $0.set("meeting.venue", "Town Hall") }
        try await f.ingest(again)
        #expect(try await f.store.purge(cutoffs, now: f.now, dryRun: true).bookings == [early.reference])
    }
}
