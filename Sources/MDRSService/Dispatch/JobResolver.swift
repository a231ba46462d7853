import Foundation
import MediationDomain
import Messages
import Store

/// Finds what a job is about as the store holds it now (the booking version,
/// the party, the call, the mediator, the day's agenda), or why it must not
/// be sent. The dispatcher and `mdrsctl preview` share it.
public struct JobResolver: Sendable {
    /// Where jobs, bookings and calls are read.
    public let store: Store
    /// The mediators, calendar and planning zone jobs are resolved with.
    public let config: Config

    /// A resolver over `store` with `config`.
    public init(store: Store, config: Config) {
        self.store = store
        self.config = config
    }

    /// Whom a job goes to and until when it is worth sending.
    public struct Resolved: Sendable {
        /// The recipient and what the message is about.
        public var subject: MessageBuilder.Subject
        /// The event the message is about; `nil` for none.
        public var usefulUntil: Date?
        /// The zone of quiet hours, for family-facing mail.
        public var quietZone: String?
    }

    /// Finds what the job is about as stored now, or why it must not be sent.
    public func resolve(_ job: Job) throws(StoreError) -> Result<Resolved, SkipReason> {
        guard let kind = MessageKind(rawValue: job.message) else { return .failure("unknown message \(job.message)") }
        if kind == .mediatorAgenda { return try resolveAgenda(job) }
        // Only the version the job was planned for: an older version's
        // emails are never sent, and a cancellation only for a cancelled one.
        guard let booking = try store.booking(job.bookingReference), booking.version == job.bookingVersion,
              (booking.status == .cancelled) == kind.isCancellation else {
            return .failure("booking changed or cancelled before sending")
        }
        let mediator = config.mediator(job.mediator ?? booking.mediator)
        if kind == .certificateDue {
            guard let mediator, mediator.email != nil else { return .failure("the mediator has no email address in the config") }
            guard let deadline = MessagePlanner.certificateDeadline(booking, calendar: config.calendar) else {
                return .failure("no certificate deadline")
            }
            return .success(Resolved(subject: .certificate(booking, mediator: mediator, deadline: deadline.day), usefulUntil: deadline.end))
        }
        // The party must still be the one the job was planned for.
        guard booking.parties.indices.contains(job.partyIndex), booking.parties[job.partyIndex].role.rawValue == job.role,
              booking.parties[job.partyIndex].email != nil else {
            return .failure("booking changed or cancelled before sending")
        }
        let party = booking.parties[job.partyIndex]
        let quietZone = party.role.isFamilyFacing ? booking.meeting.timezone : nil
        // Call messages are about the party's call, the rest about the meeting.
        let calls: [PrepCall]
        switch kind {
        case .prepCallScheduled, .prepCallReminder:
            calls = try store.calls(booking: booking.reference)
        case .prepCallCancelled:
            guard try store.wasToldOfCall(booking: booking.reference, partyIndex: job.partyIndex) else {
                return .failure("the party was never told of a call")
            }
            calls = try store.cancelledCalls(booking: booking.reference)
        default:
            return .success(Resolved(subject: .party(booking, index: job.partyIndex, mediator: mediator, call: nil),
                                     usefulUntil: kind == .adminAlert ? nil : booking.meeting.start, quietZone: quietZone))
        }
        guard let call = calls.first(where: { $0.with.contains(party.role) }) else {
            return .failure(kind == .prepCallCancelled ? "no call was cancelled" : "the call is no longer planned")
        }
        return .success(Resolved(subject: .party(booking, index: job.partyIndex, mediator: mediator, call: call),
                                 usefulUntil: call.start, quietZone: quietZone))
    }

    /// The day's calls and meetings of the agenda's mediator.
    private func resolveAgenda(_ job: Job) throws(StoreError) -> Result<Resolved, SkipReason> {
        guard let id = job.mediator, let mediator = config.mediator(id), mediator.email != nil else {
            return .failure("the mediator has no email address in the config")
        }
        let zone = config.planning.zone
        let day = LocalDate(job.due, zoneID: zone)
        guard let start = day.start(in: zone), let end = day.adding(days: 1).start(in: zone) else {
            return .failure("no such day")
        }
        let calls = try store.calls(from: start, to: end, mediator: id).compactMap { call -> (call: PrepCall, booking: Booking)? in
            (try? store.booking(call.booking)).flatMap { $0 }.map { (call, $0) }
        }
        let meetings = try store.meetings(from: start, to: end, mediator: id)
        guard !calls.isEmpty || !meetings.isEmpty else { return .failure("nothing on the agenda") }
        return .success(Resolved(subject: .agenda(mediator: mediator, day: day, zoneID: zone, calls: calls, meetings: meetings),
                                 usefulUntil: end))
    }
}

/// Why a job is not sent, as recorded in the store.
public struct SkipReason: Error, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The reason, as recorded in the job's last error.
    public var text: String
    /// A reason from text.
    public init(stringLiteral value: String) { text = value }
    /// The reason.
    public var description: String { text }
}
