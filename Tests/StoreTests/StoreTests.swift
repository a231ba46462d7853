import Foundation
import MediationDomain
import Store
import Testing

@Suite struct StoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mdrsd-store-\(UUID().uuidString)/state")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func booking(version: Int = 1, venue: String = "Community Centre, Room 2", status: Booking.Status = .booked) -> Booking {
        Booking(reference: "MDRS-2027-0142", version: version, status: status, kind: .mediation, grounds: [.planContents],
                requestedOn: LocalDate(year: 2027, month: 2, day: 26), decisionLetterOn: nil, healthIssues: false,
                child: Child(initials: "J.B.", age: 9),
                meeting: Meeting(local: LocalDateTime(iso: "2027-03-23T10:00")!, timezone: "Europe/London",
                                 start: Date(timeIntervalSince1970: 1_805_796_000), durationMinutes: 120, venue: venue, onlineURL: nil),
                mediator: "m.okafor",
                parties: [Party(role: .parent, name: "Siân Ó Briain", email: "sian@example.org"),
                          Party(role: .localAuthority, name: "Priya Shah", email: "priya.shah@example.org")])
    }

    func plan(_ b: Booking, _ previous: Booking?, _ calls: [PrepCall]) -> [PlannedMessage] {
        b.parties.indices.map {
            PlannedMessage(key: "c.\(b.reference).v\(b.version).\($0)", message: .bookingConfirmation,
                           role: b.parties[$0].role.rawValue, partyIndex: $0, due: now)
        }
    }

    @Test func filesArePrivate() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let dirMode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(dirMode == 0o700)
        #expect(fileMode == 0o600)
    }

    @Test func versionsAreAppliedInOrderAndStaleOnesRejected() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let v1 = booking()
        #expect(try store.ingest([v1], now: now, planMessages: plan) == [.created(jobsAdded: 2)])
        #expect(try store.ingest([v1], now: now, planMessages: plan) == [.unchanged])

        let changedSameVersion = booking(venue: "Town Hall")
        #expect(throws: StoreError.self) { try store.ingest([changedSameVersion], now: now, planMessages: plan) }

        let v2 = booking(version: 2, venue: "Town Hall")
        #expect(try store.ingest([v2], now: now, planMessages: plan) == [.updated(fromVersion: 1, jobsAdded: 2, jobsCancelled: 2)])
        #expect(try store.booking("MDRS-2027-0142")?.meeting.venue == "Town Hall")

        #expect(throws: StoreError.self) { try store.ingest([v1], now: now, planMessages: plan) }
        #expect(try store.booking("MDRS-2027-0142")?.version == 2)
        #expect(try store.jobs(state: .cancelled).count == 2)
        #expect(try store.pendingJobs().map(\.bookingVersion) == [2, 2])
    }

    @Test func aStaleBookingInAFileChangesNothingElse() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let v2 = booking(version: 2)
        _ = try store.ingest([v2], now: now, planMessages: plan)
        var other = booking()
        other.reference = "MDRS-2027-0200"
        let stale = booking(version: 1)
        #expect(throws: StoreError.self) { try store.ingest([other, stale], now: now, planMessages: plan) }
        #expect(try store.booking("MDRS-2027-0200") == nil)
        #expect(try store.pendingJobs().count == 2)
    }

    @Test func sendsInterruptedByACrashAreRequeued() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let v1 = booking()
        _ = try store.ingest([v1], now: now, planMessages: plan)
        let job = try #require(try store.pendingJobs().first)
        _ = try store.claim(job.id, messageID: "<x@example.org>", now: now)
        #expect(try store.pendingJobs().count == 1) // the claimed one is not pending

        // The daemon died mid-send; at start-up the job goes back in the queue.
        let reopened = try Store(path: store.path)
        #expect(try reopened.requeueInterruptedSends(now: now) == 1)
        let requeued = try #require(try reopened.job(job.id))
        #expect(requeued.state == .retry && requeued.messageID == "<x@example.org>")
        #expect(try reopened.pendingJobs().count == 2)
    }

    @Test func claimAndFinishRecordTheDelivery() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let v1 = booking()
        _ = try store.ingest([v1], now: now, planMessages: plan)
        let job = try #require(try store.pendingJobs().first)
        let claimed = try #require(try store.claim(job.id, messageID: "<x@example.org>", now: now))
        #expect(claimed.state == .sending && claimed.attempts == 1)
        #expect(try store.claim(job.id, messageID: "<x@example.org>", now: now) == nil)
        try store.finish(job.id, state: .sent, code: 250, reply: "250 ok", now: now)
        #expect(try store.job(job.id)?.state == .sent)
        #expect(try store.job(job.id)?.messageID == "<x@example.org>")
    }

    @Test func aKeptJobMovesToTheNewVersionAndLateRemindersAreNotAdded() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let later = now.addingTimeInterval(86_400)
        let plan: Store.MessagePlanning = { b, _, _ in [
            PlannedMessage(key: "reminder.\(b.reference)", message: .meetingReminder, role: "parent", partyIndex: 0, due: later,
                           onlyIfFuture: true),
            PlannedMessage(key: "late.\(b.reference)", message: .meetingReminder, role: "parent", partyIndex: 0,
                           due: now.addingTimeInterval(-60), onlyIfFuture: true),
            PlannedMessage(key: "agenda.m.okafor", message: .mediatorAgenda, role: "mediator", partyIndex: -1, due: later,
                           mediator: "m.okafor", standalone: true),
        ] }
        #expect(try store.ingest([booking()], now: now, planMessages: plan) == [.created(jobsAdded: 2)])
        #expect(try store.ingest([booking(version: 2, venue: "Town Hall")], now: now, planMessages: plan)
                == [.updated(fromVersion: 1, jobsAdded: 0, jobsCancelled: 0)])
        let jobs = try store.pendingJobs()
        #expect(jobs.map(\.dedupeKey).sorted() == ["agenda.m.okafor", "reminder.MDRS-2027-0142"])
        #expect(jobs.first { $0.dedupeKey.hasPrefix("reminder") }?.bookingVersion == 2)
        let agenda = try #require(jobs.first { $0.dedupeKey.hasPrefix("agenda") })
        #expect(agenda.bookingReference == "" && agenda.mediator == "m.okafor")

        // Cancelling the booking cancels its reminder but not the shared agenda.
        let cancelled = booking(version: 3, status: .cancelled)
        _ = try store.ingest([cancelled], now: now) { _, _, _ in [] }
        #expect(try store.pendingJobs().map(\.dedupeKey) == ["agenda.m.okafor"])
    }

    @Test func aDeadLetterCanBeRequeuedButASentEmailCannot() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        _ = try store.ingest([booking()], now: now, planMessages: plan)
        let (first, second) = try { let j = try store.pendingJobs(); return (j[0].id, j[1].id) }()
        _ = try store.claim(first, messageID: "<a@example.org>", now: now)
        try store.finish(first, state: .dead, code: 550, reply: "550 no such user", now: now)
        _ = try store.claim(second, messageID: "<b@example.org>", now: now)
        try store.finish(second, state: .sent, code: 250, reply: "250 ok", now: now)

        let later = now.addingTimeInterval(600)
        let requeued = try #require(try store.requeue(first, now: later))
        #expect(requeued.state == .pending && requeued.attempts == 0 && requeued.due == later)
        #expect(throws: StoreError.self) { try store.requeue(second, now: later) }
        #expect(try store.requeue(999, now: later) == nil)
        #expect(try store.deliveries(from: now, to: later).map(\.outcome) == ["dead", "sent", "requeued"])
        #expect(try store.jobCounts()[.pending] == 1)
    }

    @Test func aCopyIsASandbox() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        _ = try store.ingest([booking()], now: now, planMessages: plan)
        let copy = try store.copy(to: folder.appendingPathComponent("copy.sqlite").path)
        let job = try #require(try copy.pendingJobs().first)
        try copy.finish(job.id, state: .skipped, code: nil, reply: "test", now: now)
        #expect(try copy.pendingJobs().count == 1)
        #expect(try store.pendingJobs().count == 2)
    }

    @Test func anUnsentConfirmationSurvivesAQuickCorrection() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        _ = try store.ingest([booking()], now: now, planMessages: plan)
        // Version 2 corrects something nobody is told about: its plan has no
        // announcement, so the first version's unsent confirmations carry over.
        #expect(try store.ingest([booking(version: 2)], now: now) { _, _, _ in [] }
                == [.updated(fromVersion: 1, jobsAdded: 0, jobsCancelled: 0)])
        #expect(try store.pendingJobs().map(\.bookingVersion) == [2, 2])
        #expect(try store.pendingJobs().map(\.message) == ["booking_confirmation", "booking_confirmation"])
    }

    @Test func aChangedReminderPlanIsAppliedToBookingsAhead() throws {
        let store = try Store(path: folder.appendingPathComponent("mdrsd.sqlite").path)
        let before = MessagePlanner()
        let planWith = { (planner: MessagePlanner) -> Store.MessagePlanning in
            { booking, previous, calls in planner.plan(booking, previous: previous, calls: calls, now: self.now) }
        }
        _ = try store.ingest([booking()], now: now, planMessages: planWith(before))
        let confirmations = try store.jobs().filter { $0.message == "booking_confirmation" }

        // One reminder three days before at 11:00 instead of the shipped plan.
        var after = before
        after.reminders = [ReminderRule(message: .meetingReminder, offset: .init(amount: 3, unit: .days),
                                        at: LocalTime(hour: 11, minute: 0))]
        #expect(try store.replan([.meetingReminder, .prepCallReminder, .certificateDue, .mediatorAgenda], now: now,
                                 planMessages: planWith(after)) > 0)
        let waiting = try store.pendingJobs()
        let reminders = waiting.filter { $0.message == "meeting_reminder" }
        #expect(reminders.count == 2 && reminders.allSatisfy { $0.dedupeKey.hasSuffix(".3d") })
        // Saturday 20 March 2027, 11:00 GMT.
        #expect(reminders.allSatisfy { $0.due == Date(timeIntervalSince1970: 1_805_540_400) })
        #expect(!waiting.contains { $0.message == "certificate_due" })
        #expect(try store.jobs().filter { $0.message == "booking_confirmation" } == confirmations)

        // Moving the time of day moves the kept job rather than adding one.
        after.reminders[0].at = LocalTime(hour: 12, minute: 0)
        try store.replan([.meetingReminder], now: now, planMessages: planWith(after))
        let moved = try store.pendingJobs().filter { $0.message == "meeting_reminder" }
        #expect(moved.map(\.id) == reminders.map(\.id))
        #expect(moved.allSatisfy { $0.due == Date(timeIntervalSince1970: 1_805_544_000) })
    }
}
