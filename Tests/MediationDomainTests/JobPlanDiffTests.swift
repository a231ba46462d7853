import Foundation
import MDRSTestSupport
import MediationDomain
import Testing

/// The plan diff on its own: which stored jobs stay, move, are cancelled,
/// come back or are added, with no database.
@Suite struct JobPlanDiffTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let booking = BookingFixtures.booking { $0["version"] = 2 }
    let parent = JobRecipient.party(index: 0, role: .parent)
    let officer = JobRecipient.party(index: 2, role: .localAuthority)

    func stored(_ id: Int64, _ key: String, _ message: MessageKind, _ recipient: JobRecipient, _ state: JobState = .pending,
                due: Date? = nil, version: Int = 1) -> StoredJob {
        StoredJob(id: id, key: key, message: message, recipient: recipient, state: state, due: due ?? now, bookingVersion: version)
    }

    func planned(_ key: String, _ message: MessageKind, _ recipient: JobRecipient, due: Date? = nil, onlyIfFuture: Bool = false,
                 standalone: Bool = false) -> PlannedMessage {
        PlannedMessage(key: key, message: message, recipient: recipient, due: due ?? now, standalone: standalone, onlyIfFuture: onlyIfFuture)
    }

    @Test func aKeptJobMovesToTheNewVersionAndItsNewTime() {
        let later = now.addingTimeInterval(3600)
        let diff = JobPlanDiff.between(plan: [planned("r", .meetingReminder, parent, due: later)],
                                       stored: [stored(1, "r", .meetingReminder, parent)], booking: booking, now: now)
        #expect(diff.move == [.init(id: 1, bookingVersion: 2, recipient: parent, due: later, revive: false)])
        #expect(diff.add.isEmpty && diff.cancel.isEmpty)
    }

    @Test func aRetryKeepsItsBackoffAndASentJobIsLeftAlone() {
        let later = now.addingTimeInterval(3600)
        let diff = JobPlanDiff.between(plan: [planned("r", .meetingReminder, parent, due: later), planned("s", .prepCallScheduled, parent)],
                                       stored: [stored(1, "r", .meetingReminder, parent, .retry), stored(2, "s", .prepCallScheduled, parent, .sent)],
                                       booking: booking, now: now)
        #expect(diff.move == [.init(id: 1, bookingVersion: 2, recipient: parent, due: nil, revive: false)])
        #expect(diff.add.isEmpty && diff.cancel.isEmpty)
    }

    @Test func anUnsentJobThePlanDropsIsCancelled() {
        let diff = JobPlanDiff.between(plan: [], stored: [stored(1, "r", .meetingReminder, parent), stored(2, "x", .meetingReminder, parent, .dead)],
                                       booking: booking, now: now)
        #expect(diff.cancel == [1] && diff.move.isEmpty && diff.add.isEmpty)
    }

    @Test func anUnsentConfirmationSurvivesACorrectionThatAnnouncesNothing() {
        let confirmation = stored(1, "c.v1.parent", .bookingConfirmation, parent)
        let diff = JobPlanDiff.between(plan: [], stored: [confirmation], booking: booking, now: now)
        #expect(diff.move == [.init(id: 1, bookingVersion: 2, recipient: parent, due: nil, revive: false)] && diff.cancel.isEmpty)
        // A change notice in the new plan replaces it.
        let told = JobPlanDiff.between(plan: [planned("changed.v2.parent", .bookingChanged, parent)], stored: [confirmation],
                                       booking: booking, now: now)
        #expect(told.cancel == [1] && told.add.map(\.key) == ["changed.v2.parent"])
        // A cancelled booking takes it back.
        var cancelled = booking
        cancelled.status = .cancelled
        #expect(JobPlanDiff.between(plan: [], stored: [confirmation], booking: cancelled, now: now).cancel == [1])
    }

    @Test func aReminderWhoseMomentHasPassedIsNotAdded() {
        let diff = JobPlanDiff.between(plan: [planned("late", .meetingReminder, parent, due: now.addingTimeInterval(-60), onlyIfFuture: true),
                                              planned("soon", .meetingReminder, parent, due: now.addingTimeInterval(60), onlyIfFuture: true)],
                                       stored: [], booking: booking, now: now)
        #expect(diff.add.map(\.key) == ["soon"])
    }

    @Test func aJobCancelledByAnEarlierVersionComesBackWhenWantedAgain() {
        // v2 moved the meeting (cancelling the reminder), v3 moves it back.
        let diff = JobPlanDiff.between(plan: [planned("r", .meetingReminder, officer, due: now.addingTimeInterval(60), onlyIfFuture: true)],
                                       stored: [stored(1, "r", .meetingReminder, officer, .cancelled)], booking: booking, now: now)
        #expect(diff.move == [.init(id: 1, bookingVersion: 2, recipient: officer, due: now.addingTimeInterval(60), revive: true)])
        #expect(diff.add.isEmpty)
    }

    @Test func standaloneAgendasAreAddedByKeyAndNeverCancelledByOneBooking() {
        let agenda = planned("mediator_agenda.m.okafor.2027-03-16", .mediatorAgenda, .mediator("m.okafor"), standalone: true)
        let diff = JobPlanDiff.between(plan: [agenda], stored: [], booking: booking, now: now)
        #expect(diff.add == [agenda])
        #expect(JobPlanDiff.between(plan: [], stored: [], booking: booking, now: now).isEmpty)
    }

    @Test func aRePlanOfSomeMessagesLeavesTheOthersAlone() {
        let diff = JobPlanDiff.between(plan: [], stored: [stored(1, "c", .bookingChanged, parent), stored(2, "r", .meetingReminder, parent)],
                                       booking: booking, now: now, only: [.meetingReminder])
        #expect(diff.cancel == [2] && diff.move.isEmpty)
    }

    @Test func theKeysTheMessagePlannerUsesAreTheKeyBuildersShapes() {
        let start = Date(timeIntervalSince1970: 1_805_796_000)
        #expect(DedupeKey.announcement(.bookingConfirmation, reference: "R", version: 2, role: .parent, index: 0)
                == "booking_confirmation.R.v2.parent.0")
        #expect(DedupeKey.call(.prepCallScheduled, reference: "R", role: .advocate, index: 1, start: start)
                == "prep_call_scheduled.R.advocate.1.1805796000")
        #expect(DedupeKey.meetingReminder(reference: "R", role: .parent, index: 0, start: start, offset: .init("2h")!)
                == "meeting_reminder.R.parent.0.1805796000.2h")
        #expect(DedupeKey.agenda(mediator: "m.okafor", day: LocalDate(iso: "2027-03-16")!) == "mediator_agenda.m.okafor.2027-03-16")
        let plan = MessagePlanner().plan(BookingFixtures.booking(), previous: nil, calls: [], now: now)
        #expect(plan.filter { $0.message == .bookingConfirmation }.map(\.key) == [
            "booking_confirmation.MDRS-2027-0142.v1.parent.0", "booking_confirmation.MDRS-2027-0142.v1.advocate.1",
            "booking_confirmation.MDRS-2027-0142.v1.local_authority.2"])
    }
}
