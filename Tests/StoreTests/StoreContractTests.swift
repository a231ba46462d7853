import Foundation
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// What every backend must do, whatever it is.
@Suite struct StoreContractTests {
    @Test(arguments: StoreFixture.Backend.allCases)
    func versionsAreAppliedInOrderAndStaleOnesRejected(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        let v1 = f.booking()
        let first = try await f.ingest(v1)
        guard case .created(let added) = first.outcomes[0].outcome else { Issue.record("\(first.outcomes)"); return }
        #expect(added > 0 && first.touched.count >= added)
        #expect(try await f.ingest(v1).outcomes[0].outcome == .unchanged)

        let changedSameVersion = f.booking { $0.set("meeting.venue", "Town Hall") }
        await #expect(throws: StoreError.self) { try await f.ingest(changedSameVersion) }

        let v2 = f.booking(version: 2) { $0.set("meeting.venue", "Town Hall") }
        let second = try await f.ingest(v2)
        guard case .updated(fromVersion: 1, _, _) = second.outcomes[0].outcome else { Issue.record("\(second.outcomes)"); return }
        #expect(try await f.store.booking(v1.reference)?.meeting.venue == "Town Hall")

        let error = await #expect(throws: StoreError.self) { try await f.ingest(v1) }
        #expect(error?.kind == .stale && error?.reference == v1.reference)
        #expect(try await f.store.booking(v1.reference)?.version == 2)
        // The venue changed: each party is told, and the unsent confirmations go.
        let waiting = try await f.waiting()
        #expect(waiting.filter { $0.message == .bookingChanged }.count == 3)
        #expect(!waiting.contains { $0.message == .bookingConfirmation })
        #expect(waiting.filter { $0.bookingReference != nil }.allSatisfy { $0.bookingVersion == 2 })
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aStaleBookingInAFileChangesNothingElse(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking(version: 2))
        let before = try await f.all()
        let other = f.booking(reference: "MDRS-2027-0200")
        await #expect(throws: StoreError.self) { try await f.ingest(other, f.booking(version: 1)) }
        #expect(try await f.store.booking("MDRS-2027-0200") == nil)
        #expect(try await f.all() == before)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aStoppedIngestRollsBackEverything(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        let counter = Counter()
        let error = await #expect(throws: StoreError.self) {
            try await f.store.ingest([f.booking(), f.booking(reference: "MDRS-2027-0200")], planner: f.planner, now: f.now,
                                     isCancelled: { counter.next() > 1 })
        }
        #expect(error?.kind == .cancelled && error?.isTransient == true)
        #expect(try await f.store.bookingCount() == 0)
        #expect(try await f.all().isEmpty)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func anUnsentConfirmationSurvivesAQuickCorrection(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        // Version 2 corrects a phone number: nobody is told anything new, so
        // the first version's unsent confirmations carry over to it.
        try await f.ingest(f.booking(version: 2) { $0.set("parties.0.phone", "0161 496 0001") })
        let confirmations = try await f.waiting().filter { $0.message == .bookingConfirmation }
        #expect(confirmations.count == 3 && confirmations.allSatisfy { $0.bookingVersion == 2 })
        #expect(!(try await f.waiting()).contains { $0.message == .bookingChanged })
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func callsPlannedByAnotherProcessBetweenTwoFilesAreAvoided(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        let other = try await f.other()
        // This process, then another, then this one again: all one mediator's week.
        try await f.ingest(f.booking(reference: "MDRS-2027-0401"))
        _ = try await other.ingest([f.booking(reference: "MDRS-2027-0402")], planner: f.planner, now: f.now, isCancelled: { false })
        try await f.ingest(f.booking(reference: "MDRS-2027-0403"))
        let calls = try await f.store.calls(from: f.now, to: f.now.addingTimeInterval(40 * 86_400), mediator: "m.okafor")
            .sorted { $0.start < $1.start }
        #expect(calls.count == 6)
        for (earlier, later) in zip(calls, calls.dropFirst()) {
            #expect(earlier.end <= later.start, "\(earlier.booking) and \(later.booking) overlap at \(later.start)")
        }
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func callsAvoidTheSameMediatorsCallsAndIgnoreOtherMediators(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        try await f.ingest(f.booking(reference: "MDRS-2027-0200"))
        try await f.ingest(f.booking(reference: "MDRS-2027-0300") { $0["mediator"] = "a.bell" })
        let start = f.now, end = f.now.addingTimeInterval(40 * 86_400)
        let okafor = try await f.store.calls(from: start, to: end, mediator: "m.okafor")
        #expect(okafor.count == 4)
        for (i, a) in okafor.enumerated() {
            for b in okafor[(i + 1)...] { #expect(a.end <= b.start || b.end <= a.start, "\(a) overlaps \(b)") }
        }
        // Another mediator's diary is empty, so her calls take the first slots.
        let bell = try await f.store.calls(from: start, to: end, mediator: "a.bell")
        #expect(bell.map(\.start) == Array(okafor.map(\.start).prefix(2)))
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aBookingWithItsCallsIsReadTogetherAsEachAlone(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking(), f.booking(reference: "MDRS-2027-0200"))
        let reference = f.booking().reference
        let together = try #require(try await f.store.bookingWithCalls(reference))
        #expect(together.booking == (try await f.store.booking(reference)))
        #expect(together.calls == (try await f.store.calls(booking: reference)))
        #expect(!together.calls.isEmpty && together.calls.allSatisfy { $0.booking == reference })
        #expect(try await f.store.bookingWithCalls("MDRS-2027-0999") == nil)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func claimsAreExclusiveAndFinishingLogsTheDelivery(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let job = try #require(try await f.waiting().first)
        let lease = f.now.addingTimeInterval(600)
        // Not before it is due.
        #expect(try await f.store.claim(job.id, now: job.due.addingTimeInterval(-1), leaseUntil: lease) == nil)
        let claimed = try #require(try await f.store.claim(job.id, now: f.now, leaseUntil: lease))
        #expect(claimed.state == .sending && claimed.attempts == 1)
        #expect(try await f.store.claim(job.id, now: f.now, leaseUntil: lease) == nil)
        try await f.store.finish(job.id, JobOutcome(state: .sent, code: 250, reply: "250 ok", rendered: "en: s (1 bytes)",
                                                    messageID: "<x@example.org>"), now: f.now)
        let sent = try #require(try await f.store.job(job.id))
        #expect(sent.state == .sent && sent.messageID == "<x@example.org>")
        let log = try await f.store.deliveries(from: f.now, to: f.now)
        #expect(log.map(\.outcome) == ["sent"] && log[0].job.id == job.id && log[0].code == 250)
        #expect(try await f.store.lastDelivery()?.outcome == "sent")
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aReleasedClaimWaitsAgainWithoutAnAttempt(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let job = try #require(try await f.waiting().first)
        let morning = f.now.addingTimeInterval(36_000)
        _ = try await f.store.claim(job.id, now: f.now, leaseUntil: f.now.addingTimeInterval(600))
        try await f.store.release(job.id, until: morning, reason: .quietHours, note: "held for quiet hours", now: f.now)
        let released = try #require(try await f.store.job(job.id))
        #expect(released.state == .pending && released.attempts == 0 && released.due == morning && released.waitReason == .quietHours)
        #expect(try await f.store.claim(job.id, now: f.now, leaseUntil: morning) == nil, "not due until the morning")
        // A job tried before goes back as a retry.
        _ = try await f.store.claim(job.id, now: morning, leaseUntil: morning.addingTimeInterval(600))
        try await f.store.finish(job.id, JobOutcome(state: .retry, code: 451, reply: "451 later", retryAt: morning,
                                                    waitReason: .transient), now: morning)
        _ = try await f.store.claim(job.id, now: morning, leaseUntil: morning.addingTimeInterval(600))
        try await f.store.release(job.id, until: morning.addingTimeInterval(60), reason: .transient, note: "later", now: morning)
        let again = try #require(try await f.store.job(job.id))
        #expect(again.state == .retry && again.attempts == 1)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func interruptedSendsComeBackWhenTheirLeaseEnds(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let jobs = try await f.waiting()
        // A sender claims two jobs and dies.
        let died = try await f.other()
        _ = try await died.claim(jobs[0].id, now: f.now, leaseUntil: f.now.addingTimeInterval(60))
        _ = try await died.claim(jobs[1].id, now: f.now, leaseUntil: f.now.addingTimeInterval(600))
        #expect(try await f.store.nextLeaseEnd() == f.now.addingTimeInterval(60))
        // Two minutes on, a survivor takes back only the lease that ended.
        #expect(try await f.store.recoverInterruptedSends(now: f.now.addingTimeInterval(120), all: false) == 1)
        let requeued = try #require(try await f.store.job(jobs[0].id))
        #expect(requeued.state == .retry && requeued.attempts == 1)
        #expect(try await f.store.job(jobs[1].id)?.state == .sending)
        #expect(try await f.store.nextLeaseEnd() == f.now.addingTimeInterval(600))
        // The sender starting again takes back its own claims at once.
        #expect(try await died.recoverInterruptedSends(now: f.now.addingTimeInterval(120), all: true) == 1)
        #expect(try await f.store.counts()[.sending] == nil)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func twoSendersRacingForTheSameJobsGetEachOnceOnly(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking(), f.booking(reference: "MDRS-2027-0200"), f.booking(reference: "MDRS-2027-0300"))
        let due = try await f.store.jobs(JobQuery(states: JobState.waiting, dueBefore: f.now.addingTimeInterval(1)), after: nil, limit: 1000)
        #expect(due.count >= 9)
        let senders: [any MDRSStore] = [f.store, try await f.other()]
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for sender in senders {
                group.addTask {
                    var mine: [Int64] = []
                    for job in due where try await sender.claim(job.id, now: f.now, leaseUntil: f.now.addingTimeInterval(600)) != nil {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.sorted() == due.map(\.id).sorted(), "every due job claimed by exactly one sender")
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aDeadLetterCanBeRequeuedButASentEmailCannot(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let jobs = try await f.waiting()
        let lease = f.now.addingTimeInterval(600)
        _ = try await f.store.claim(jobs[0].id, now: f.now, leaseUntil: lease)
        try await f.store.finish(jobs[0].id, JobOutcome(state: .dead, code: 550, reply: "550 no such user"), now: f.now)
        _ = try await f.store.claim(jobs[1].id, now: f.now, leaseUntil: lease)
        try await f.store.finish(jobs[1].id, JobOutcome(state: .sent, code: 250, reply: "250 ok"), now: f.now)

        let later = f.now.addingTimeInterval(600)
        let requeued = try #require(try await f.store.requeue(jobs[0].id, now: later))
        #expect(requeued.state == .pending && requeued.attempts == 0 && requeued.due == later)
        let refused = await #expect(throws: StoreError.self) { try await f.store.requeue(jobs[1].id, now: later) }
        #expect(refused?.kind == .wrongState)
        #expect(try await f.store.requeue(999_999, now: later) == nil)
        #expect(try await f.store.deliveries(from: f.now, to: later).map(\.outcome) == ["dead", "sent", "requeued"])
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func theHorizonSliceHoldsOnlyJobsDueWithinIt(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let day = f.now.addingTimeInterval(86_400)
        let slice = try await f.store.due(before: day)
        let waiting = try await f.waiting()
        #expect(Set(slice.map(\.id)) == Set(waiting.filter { $0.due < day }.map(\.id)))
        #expect(slice.count < waiting.count && !slice.isEmpty)
        #expect(try await f.store.nextDue() == waiting.map(\.due).min())
        #expect(try await f.store.counts()[.pending] == waiting.count)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func listingsPageThroughEveryRowOnce(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        for n in 0..<7 {
            try await f.ingest(f.booking(reference: "MDRS-2027-\(1000 + n)") { $0.set("meeting.start", "2027-03-2\(3 + n % 3)T1\(n % 5):00") })
        }
        var seen: [String] = [], cursor: BookingCursor?
        while true {
            let page = try await f.store.bookings(meetingFrom: nil, to: nil, after: cursor, limit: 3)
            seen += page.map(\.reference)
            guard let last = page.last else { break }
            cursor = BookingCursor(after: last)
        }
        #expect(seen.count == 7 && Set(seen).count == 7)
        var jobs: [Int64] = [], after: JobCursor?
        while true {
            let page = try await f.store.jobs(.waiting, after: after, limit: 10)
            jobs += page.map(\.id)
            guard let last = page.last else { break }
            after = JobCursor(after: last)
        }
        #expect(jobs.count == (try await f.waiting()).count && Set(jobs).count == jobs.count)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func alertsWithOneCauseShareADigestSentAtMostHourly(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        let alert = { (ref: String) in StaffAlert(cause: "dead_letter", reference: ref, summary: "Emails could not be delivered", detail: "d") }
        let first = try await f.store.raise([alert("A"), alert("B")], now: f.now)
        #expect(first.count == 1 && first[0].due == f.now)
        #expect(try await f.store.raise([alert("C")], now: f.now) == first)
        #expect(try await f.store.alerts(inDigest: first[0].id).map(\.alert.reference) == ["A", "B", "C"])

        _ = try await f.store.claim(first[0].id, now: f.now, leaseUntil: f.now.addingTimeInterval(60))
        try await f.store.finish(first[0].id, JobOutcome(state: .sent, code: 250, reply: "250 ok"), now: f.now)
        let next = try await f.store.raise([alert("D")], now: f.now.addingTimeInterval(60))
        #expect(next.count == 1 && next[0].id != first[0].id && next[0].due == f.now.addingTimeInterval(3600))
        let digest = try #require(try await f.store.job(next[0].id))
        #expect(digest.message == .adminAlert && digest.recipient == .staff && digest.bookingReference == nil)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func unscheduledCallsRaiseAnAlertInTheSameTransaction(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        // A meeting tomorrow: no working day is left for the calls.
        let result = try await f.ingest(f.booking { $0.set("meeting.start", "2027-03-02T10:00") })
        #expect(result.unscheduled.count == 2)
        let digest = try #require(try await f.waiting().first { $0.message == .adminAlert })
        #expect(result.touched.contains { $0.id == digest.id })
        #expect(try await f.store.alerts(inDigest: digest.id).count == 2)
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func aChangedReminderPlanIsAppliedToBookingsAhead(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let confirmations = try await f.all().filter { $0.message == .bookingConfirmation }

        // One reminder three days before at 11:00 instead of the shipped plan.
        var rule = ReminderRule(message: .meetingReminder, offset: .init(amount: 3, unit: .days), at: LocalTime(hour: 11, minute: 0))
        let touched = try await f.store.replan(BookingPlanner.scheduledMessages, planner: StoreFixture.planner(reminders: [rule]), now: f.now)
        #expect(!touched.isEmpty)
        let reminders = try await f.waiting().filter { $0.message == .meetingReminder }
        #expect(reminders.count == 3 && reminders.allSatisfy { $0.key.hasSuffix(".3d") })
        // Saturday 20 March 2027, 11:00 GMT.
        #expect(reminders.allSatisfy { $0.due == Date(timeIntervalSince1970: 1_805_540_400) })
        #expect(!(try await f.waiting()).contains { $0.message == .certificateDue || $0.message == .prepCallReminder })
        #expect(try await f.all().filter { $0.message == .bookingConfirmation } == confirmations)

        // Moving the time of day moves the kept job rather than adding one.
        rule.at = LocalTime(hour: 12, minute: 0)
        _ = try await f.store.replan([.meetingReminder], planner: StoreFixture.planner(reminders: [rule]), now: f.now)
        let moved = try await f.waiting().filter { $0.message == .meetingReminder }
        #expect(moved.map(\.id) == reminders.map(\.id))
        #expect(moved.allSatisfy { $0.due == Date(timeIntervalSince1970: 1_805_544_000) })
    }

    @Test(arguments: StoreFixture.Backend.allCases)
    func configurationWaitsGoAtOnceWhenAsked(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        try await f.ingest(f.booking())
        let jobs = try await f.waiting()
        _ = try await f.store.claim(jobs[0].id, now: f.now, leaseUntil: f.now.addingTimeInterval(60))
        try await f.store.finish(jobs[0].id, JobOutcome(state: .retry, reply: "535 no", retryAt: f.now.addingTimeInterval(900),
                                                         countsAsAttempt: false, waitReason: .configuration), now: f.now)
        _ = try await f.store.claim(jobs[1].id, now: f.now, leaseUntil: f.now.addingTimeInterval(60))
        try await f.store.finish(jobs[1].id, JobOutcome(state: .retry, reply: "451 later", retryAt: f.now.addingTimeInterval(900),
                                                         waitReason: .transient), now: f.now)
        let later = f.now.addingTimeInterval(30)
        #expect(try await f.store.retryConfigurationWaits(now: later) == [ScheduledJob(id: jobs[0].id, due: later)])
        #expect(try await f.store.job(jobs[0].id)?.attempts == 0)
        #expect(try await f.store.job(jobs[1].id)?.due == f.now.addingTimeInterval(900))
    }
}

/// Counts calls from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}

extension StoreContractTests {
    /// The counts by state (kept as jobs change, not counted at each ask)
    /// agree with the jobs themselves through every kind of change.
    @Test(arguments: StoreFixture.Backend.allCases)
    func countsByStateFollowEveryChange(_ backend: StoreFixture.Backend) async throws {
        let f = try await StoreFixture(backend)
        func agree(_ step: String) async throws {
            let jobs = try await f.all()
            let counted = Dictionary(grouping: jobs, by: \.state).mapValues(\.count)
            #expect(try await f.store.counts() == counted, "after \(step)")
        }
        try await f.ingest(f.booking(), f.booking(reference: "MDRS-2027-0200"))
        try await agree("ingest")
        try await f.ingest(f.booking(version: 2) { $0.set("meeting.start", "2027-03-24T10:00") })
        try await agree("a moved meeting")
        let jobs = try await f.waiting()
        _ = try await f.store.claim(jobs[0].id, now: f.now, leaseUntil: f.now.addingTimeInterval(60))
        try await agree("claim")
        try await f.store.finish(jobs[0].id, JobOutcome(state: .dead, reply: "550"), now: f.now)
        _ = try await f.store.requeue(jobs[0].id, now: f.now)
        _ = try await f.store.raise([StaffAlert(cause: "c", summary: "s", detail: "d")], now: f.now)
        try await agree("finish, requeue and an alert")
        var cancelled = f.booking(version: 3) { $0.set("meeting.start", "2027-03-24T10:00") }
        cancelled.status = .cancelled
        try await f.ingest(cancelled)
        try await agree("a cancellation")
        _ = try await f.store.replan(BookingPlanner.scheduledMessages, planner: StoreFixture.planner(reminders: []), now: f.now)
        try await agree("a re-plan")
    }
}
