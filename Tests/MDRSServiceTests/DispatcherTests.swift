import Foundation
import Mailer
import MDRSService
import MDRSTestSupport
import MediationDomain
import Store
import Synchronization
import Testing

/// The dispatcher's decisions, with a scripted transport standing in for the
/// relay (the real relay behaviours are covered end to end).
@Suite struct DispatcherTests {
    static let meeting = DispatchHarness.meeting
    func local(_ text: String) -> Date { DispatchHarness.local(text) }

    @Test func transientFailureIsRetriedBeforeTheMeeting() async throws {
        let h = try await DispatchHarness([.failure(DeliveryError(.transient, code: 451, message: "451 try later"))])
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        let now = Self.meeting.addingTimeInterval(-86_400)
        #expect(await h.dispatch(parent.id, at: now) == .retry(now.addingTimeInterval(60)))
        let job = try #require(try await h.job(parent.id))
        #expect(job.state == .retry && job.attempts == 1 && job.lastError == "451 try later" && job.waitReason == .transient)
        #expect(await h.dispatch(parent.id, at: now.addingTimeInterval(60)) == .sent)
        #expect(h.transport.recipients == ["sian@example.org", "sian@example.org"])
        // The delivery log keeps both attempts, each with what was rendered.
        let log = try await h.store.deliveries(from: now, to: now.addingTimeInterval(60))
        #expect(log.map(\.outcome) == ["retry", "sent"])
        #expect(log.allSatisfy { $0.rendered?.hasPrefix("en: ") == true && $0.rendered?.contains("MDRS-2027-0142") == true },
                "\(log.map(\.rendered))")
    }

    @Test func noRetryAfterTheEventButADeadLetterAndAnAlertThroughTheQueue() async throws {
        let h = try await DispatchHarness([.failure(DeliveryError(.transient, code: 421, message: "421 closing"))])
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        let now = Self.meeting.addingTimeInterval(-30) // the next attempt would be after 10:00
        #expect(await h.dispatch(parent.id, at: now) == .dead)
        #expect(try await h.job(parent.id)?.state == .dead)
        // Staff are told by a digest job, which goes like any other email.
        let digest = try #require(try await h.first(.adminAlert))
        #expect(digest.recipient == .staff && digest.due == now)
        #expect(await h.dispatch(digest.id, at: now) == .sent)
        #expect(h.transport.recipients == ["sian@example.org", "staff@example.org"])
        let alert = h.transport.text(1)
        #expect(alert.contains("MDRS-2027-0142") && alert.contains("outbox retry \(parent.id)"))
        #expect(!alert.contains("sian@example.org"))
    }

    @Test func configurationFailureAlertsOnceAndKeepsTheAttempts() async throws {
        let refused = DeliveryError(.configuration, code: 535, message: "535 authentication failed")
        let h = try await DispatchHarness([.failure(refused), .failure(refused)])
        let jobs = try await h.waiting().filter { $0.message == .bookingConfirmation }
        let now = Self.meeting.addingTimeInterval(-86_400)
        #expect(await h.dispatch(jobs[0].id, at: now) == .retry(now.addingTimeInterval(900)))
        #expect(await h.dispatch(jobs[1].id, at: now) == .retry(now.addingTimeInterval(900)))
        let held = try #require(try await h.job(jobs[0].id))
        #expect(held.attempts == 0 && held.state == .retry && held.waitReason == .configuration)
        // One digest for both, carrying both alerts.
        let digests = try await h.waiting().filter { $0.message == .adminAlert }
        #expect(digests.count == 1)
        #expect(try await h.store.alerts(inDigest: digests[0].id).count == 2)
    }

    @Test func rateLimitDefersWithoutSending() async throws {
        let h = try await DispatchHarness(perMinute: 2)
        let jobs = try await h.waiting().filter { $0.message == .bookingConfirmation }
        let now = Self.meeting.addingTimeInterval(-86_400)
        #expect(await h.dispatch(jobs[0].id, at: now) == .sent)
        #expect(await h.dispatch(jobs[1].id, at: now.addingTimeInterval(1)) == .sent)
        #expect(await h.dispatch(jobs[2].id, at: now.addingTimeInterval(2)) == .retry(now.addingTimeInterval(60)))
        #expect(h.transport.recipients.count == 2)
        #expect(try await h.job(jobs[2].id)?.state == .pending)
        #expect(await h.dispatch(jobs[2].id, at: now.addingTimeInterval(60)) == .sent)
    }

    @Test func aConfirmationAfterTheMeetingIsSkipped() async throws {
        let h = try await DispatchHarness()
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        #expect(await h.dispatch(parent.id, at: Self.meeting.addingTimeInterval(60)) == .skipped("its event has passed"))
        #expect(try await h.job(parent.id)?.lastError == "its event has passed")
        #expect(h.transport.recipients.isEmpty)
    }

    @Test func familyMailWaitsOutQuietHoursButOfficersGetItAtOnce() async throws {
        let h = try await DispatchHarness()
        let night = local("2027-03-16T22:30")
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        let officer = try #require(try await h.first(.bookingConfirmation, "local_authority"))
        #expect(await h.dispatch(parent.id, at: night) == .held(local("2027-03-17T08:00")))
        let held = try #require(try await h.job(parent.id))
        #expect(held.due == local("2027-03-17T08:00") && held.waitReason == .quietHours)
        #expect(await h.dispatch(officer.id, at: night) == .sent)
        #expect(h.transport.recipients == ["priya.shah@example.org"])
        #expect(await h.dispatch(parent.id, at: local("2027-03-17T08:00")) == .sent)
    }

    @Test func callMessagesCarryTheCallAndItsInvite() async throws {
        let h = try await DispatchHarness(plannedAt: local("2027-03-01T12:00"))
        let notice = try #require(try await h.first(.prepCallScheduled, "parent"))
        #expect(await h.dispatch(notice.id, at: local("2027-03-01T12:00")) == .sent)
        let email = h.transport.text(0)
        #expect(email.contains("Subject: ") && email.contains("MDRS-2027-0142"))
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

    @Test func aReminderForAVersionSinceReplacedIsNotSent() async throws {
        let h = try await DispatchHarness(plannedAt: local("2027-03-01T12:00"))
        let reminder = try #require(try await h.first(.meetingReminder))
        try await h.cancel(at: local("2027-03-02T12:00"))
        // The wheel may still hold it; the store says it is cancelled.
        #expect(await h.dispatch(reminder.id, at: local("2027-03-21T10:00")) == .notPending)
        #expect(try await h.job(reminder.id)?.state == .cancelled)
        #expect(h.transport.recipients.isEmpty)
    }

    @Test func theMediatorGetsTheCertificateReminderAndTheAgenda() async throws {
        let h = try await DispatchHarness(plannedAt: local("2027-03-01T12:00"))
        let certificate = try #require(try await h.first(.certificateDue))
        let agenda = try #require(try await h.first(.mediatorAgenda, due: local("2027-03-16T08:00")))
        #expect(await h.dispatch(certificate.id, at: certificate.due) == .sent)
        #expect(await h.dispatch(agenda.id, at: agenda.due) == .sent)
        #expect(h.transport.recipients == ["m.okafor@example.org", "m.okafor@example.org"])
        #expect(h.transport.text(0).contains("MDRS-2027-0142"))
        #expect(h.transport.text(1).contains("0161 496 0000"))
    }

    @Test func anAgendaWithNothingLeftOnItIsSkipped() async throws {
        let h = try await DispatchHarness(plannedAt: local("2027-03-01T12:00"))
        let agenda = try #require(try await h.first(.mediatorAgenda, due: local("2027-03-16T08:00")))
        try await h.cancel(at: local("2027-03-02T12:00"))
        #expect(await h.dispatch(agenda.id, at: agenda.due) == .skipped("nothing on the agenda"))
        #expect(h.transport.recipients.isEmpty)
    }

    @Test func aCallIsCancelledOnlyForThoseWhoWereToldOfIt() async throws {
        let h = try await DispatchHarness(plannedAt: local("2027-03-01T12:00"))
        // The parent hears of the call; the local authority's notice is still queued.
        let notice = try #require(try await h.first(.prepCallScheduled, "parent"))
        #expect(await h.dispatch(notice.id, at: local("2027-03-01T12:00")) == .sent)
        try await h.cancel(at: local("2027-03-02T12:00"))
        let cancellations = try await h.waiting().filter { $0.message == .prepCallCancelled }
        #expect(cancellations.map(\.recipient.roleName) == ["parent", "advocate", "local_authority"])
        var outcomes: [String: Dispatcher.Outcome] = [:]
        for job in cancellations { outcomes[job.recipient.roleName] = await h.dispatch(job.id, at: local("2027-03-02T12:00")) }
        #expect(outcomes["parent"] == .sent)
        #expect(outcomes["local_authority"] == .skipped("the party was never told of a call"))
        #expect(h.transport.recipients == ["sian@example.org", "sian@example.org"])
        // The mediator's slot is free again; the cancelled call no longer counts as planned.
        #expect(try await h.store.calls(booking: "MDRS-2027-0142").isEmpty)
    }

    @Test func aSendWhoseOutcomeCannotBeRecordedIsNotSentAgain() async throws {
        let h = try await DispatchHarness()
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        let now = Self.meeting.addingTimeInterval(-86_400)
        h.store.failing.withLock { $0 = [.finish] }
        #expect(await h.dispatch(parent.id, at: now) == .storeUnavailable(now.addingTimeInterval(15)))
        #expect(try await h.job(parent.id)?.state == .sending)
        // Space comes back: the outcome is recorded, the email is not sent twice.
        h.store.failing.withLock { $0 = [] }
        #expect(await h.dispatch(parent.id, at: now.addingTimeInterval(15)) == .sent)
        #expect(h.transport.recipients == ["sian@example.org"])
        #expect(try await h.job(parent.id)?.state == .sent)
    }

    @Test func aStoreThatCannotBeReadPutsTheJobBackForLater() async throws {
        let h = try await DispatchHarness()
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        let now = Self.meeting.addingTimeInterval(-86_400)
        // The claim fails, or a read after it: either way the job waits,
        // unclaimed and with no attempt counted.
        var at = now
        for fault in [FaultyStore.Call.claim, .booking] {
            h.store.failing.withLock { $0 = [fault] }
            #expect(await h.dispatch(parent.id, at: at) == .storeUnavailable(at.addingTimeInterval(15)), "\(fault)")
            h.store.failing.withLock { $0 = [] }
            let job = try await h.job(parent.id)
            #expect(job?.state == .pending && job?.attempts == 0, "\(fault)")
            at = at.addingTimeInterval(15)
        }
        #expect(await h.dispatch(parent.id, at: at) == .sent)
        #expect(h.transport.recipients == ["sian@example.org"])
    }

    @Test func alertsTheStoreCannotKeepAreEmailedDirectly() async throws {
        let h = try await DispatchHarness([.failure(DeliveryError(.permanent, code: 550, message: "550 no such user"))])
        let parent = try #require(try await h.first(.bookingConfirmation, "parent"))
        h.store.failing.withLock { $0 = [.raise] }
        #expect(await h.dispatch(parent.id, at: Self.meeting.addingTimeInterval(-86_400)) == .dead)
        #expect(h.transport.recipients == ["sian@example.org", "staff@example.org"])
        #expect(!(try await h.waiting()).contains { $0.message == .adminAlert })
    }
}
