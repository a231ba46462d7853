import Foundation
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// Bounces as every backend must keep them: each notice once, a failure
/// turns a sent email `bounced` and its address bounced for the booking, a
/// delay is only noted, and a version with a new address lifts the hold.
@Suite struct BounceContractTests {
    /// The parent's confirmation, sent.
    func sentConfirmation(_ f: StoreFixture) async throws -> Job {
        let job = try #require(try await f.all().first { $0.message == .bookingConfirmation && $0.recipient == .party(index: 0, role: .parent) })
        _ = try await f.store.claim(job.id, now: f.now, leaseUntil: f.now.addingTimeInterval(600))
        try await f.store.finish(job.id, JobOutcome(state: .sent, code: 250, reply: "250 ok", messageID: "<confirmation@example.org>"),
                                 now: f.now)
        return job
    }

    func failure(_ job: Job, fingerprint: String = "f1") -> BounceNotice {
        BounceNotice(fingerprint: fingerprint, outcome: .failed, jobID: job.id, status: "5.1.1", detail: "5.1.1 550 user unknown",
                     address: "Sian@Example.org")
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aFailureIsRecordedOnceAndBouncesTheSentEmail(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let job = try await sentConfirmation(f)
        #expect(try await f.store.job(messageID: "<confirmation@example.org>")?.id == job.id)

        let recorded = try #require(try await f.store.record(failure(job), now: f.now))
        #expect(recorded.bounced?.id == job.id)
        #expect(try await f.store.job(job.id)?.state == .bounced)
        #expect(try await f.store.job(job.id)?.lastError == "5.1.1 550 user unknown")
        #expect(try await f.store.hasBounced(booking: job.bookingReference!, address: "sian@example.org"))
        #expect(try await f.store.hasBounced(booking: job.bookingReference!, address: "other@example.org") == false)
        #expect(try await f.store.hasBounced(booking: "MDRS-2027-0999", address: "sian@example.org") == false)

        // The same message again (a crash before it was marked): nothing changes.
        #expect(try await f.store.record(failure(job), now: f.now) == nil)
        // Another notice for the same email: recorded, but it bounces nothing new.
        #expect(try await f.store.record(failure(job, fingerprint: "f2"), now: f.now) == BounceRecorded(bounced: nil))
        let log = try await f.store.deliveries(from: f.now.addingTimeInterval(-1), to: f.now.addingTimeInterval(1))
        #expect(log.filter { $0.job.id == job.id }.map(\.outcome) == ["sent", "bounced"])
        #expect(try await f.store.bounceTally(since: f.now.addingTimeInterval(-1)) == [.failed: 2])
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aDelayIsNotedAndChangesNothing(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let job = try await sentConfirmation(f)
        let delay = BounceNotice(fingerprint: "d1", outcome: .delayed, jobID: job.id, status: "4.4.1", detail: "4.4.1 timed out")
        #expect(try await f.store.record(delay, now: f.now) == BounceRecorded(bounced: nil))
        #expect(try await f.store.job(job.id)?.state == .sent)
        let log = try await f.store.deliveries(from: f.now.addingTimeInterval(-1), to: f.now.addingTimeInterval(1))
        #expect(log.last { $0.job.id == job.id }?.outcome == "delayed")
        #expect(try await f.store.hasBounced(booking: job.bookingReference!, address: "sian@example.org") == false)
        for outcome in [BounceNotice.Outcome.forged, .notABounce, .unreadable, .unmatched] {
            #expect(try await f.store.record(BounceNotice(fingerprint: outcome.rawValue, outcome: outcome), now: f.now) != nil)
        }
        #expect(try await f.store.bounceTally(since: f.now.addingTimeInterval(-1))
                == [.delayed: 1, .forged: 1, .notABounce: 1, .unreadable: 1, .unmatched: 1])
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aNewVersionReleasesHeldEmailsAndANewAddressLiftsTheBounce(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let bounced = try await sentConfirmation(f)
        _ = try await f.store.record(failure(bounced), now: f.now)
        // The dispatcher held the parent's next email.
        let next = try #require(try await f.waiting().first { $0.recipient == .party(index: 0, role: .parent) })
        try await f.store.finish(next.id, JobOutcome(state: .held, reply: "held"), now: f.now)
        #expect(try await f.store.counts()[.held] == 1)

        // Version 2 keeps the address: the held email waits again (the
        // dispatcher will hold it again), the bounce stands.
        try await f.ingest(f.booking(version: 2) { $0.set("meeting.venue", "Town Hall") })
        #expect(try await f.store.job(next.id).map { JobState.waiting.contains($0.state) && $0.bookingVersion == 2 } == true)
        #expect(try await f.store.hasBounced(booking: bounced.bookingReference!, address: "sian@example.org"))
        #expect(try await f.store.job(bounced.id)?.state == .bounced)

        // Version 3 corrects the address: the bounce is lifted and a new
        // confirmation goes to the new address; the bounced one stays bounced.
        try await f.ingest(f.booking(version: 3) {
            $0.set("meeting.venue", "Town Hall")
            $0.set("parties.0.email", "sian.corrected@example.org")
        })
        #expect(try await f.store.hasBounced(booking: bounced.bookingReference!, address: "sian@example.org") == false)
        #expect(try await f.store.job(bounced.id)?.state == .bounced)
        #expect(try await f.waiting().contains { $0.message == .bookingConfirmation && $0.bookingVersion == 3
            && $0.recipient == .party(index: 0, role: .parent) })
        #expect(try await f.store.counts()[.held, default: 0] == 0)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func erasingABookingForgetsItsBouncedAddresses(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let job = try await sentConfirmation(f)
        _ = try await f.store.record(failure(job), now: f.now)
        #expect(try await f.store.erase(job.bookingReference!, now: f.now))
        #expect(try await f.store.hasBounced(booking: job.bookingReference!, address: "sian@example.org") == false)
    }
}
