public import Foundation
import MediationDomain
public import Messages
public import Store

/// Finds what a job is about as the store holds it now (the booking version,
/// the party, the call, the mediator, the day's agenda, the alerts of a
/// digest), or why it must not be sent. The dispatcher and `mdrsctl
/// preview` share it.
public struct JobResolver: Sendable {
    /// Where jobs, bookings and calls are read.
    public let store: any MDRSStore
    /// The mediators, calendar and planning zone jobs are resolved with.
    public let config: Config

    /// A resolver over `store` with `config`.
    public init(store: any MDRSStore, config: Config) {
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
        /// An earlier email to this address about this booking bounced:
        /// this one is held until a booking version changes the address.
        public var bouncedAddress = false
    }

    /// Finds what the job is about as stored now, or why it must not be sent.
    public func resolve(_ job: Job) async throws(StoreError) -> Result<Resolved, SkipReason> {
        switch job.recipient {
        case .staff: return try await resolveDigest(job)
        case .mediator(let id) where job.message == .mediatorAgenda: return try await resolveAgenda(job, mediator: id)
        case .mediator, .party: break
        }
        // A party's email tells of the booking's calls: both in one read.
        guard let reference = job.bookingReference else { return .failure("booking changed or cancelled before sending") }
        let found: (booking: Booking, calls: [PrepCall])?
        if case .party = job.recipient {
            found = try await store.bookingWithCalls(reference)
        } else {
            found = try await store.booking(reference).map { ($0, []) }
        }
        // Only the version the job was planned for: an older version's
        // emails are never sent, and a cancellation only for a cancelled one.
        guard let (booking, calls) = found, booking.version == job.bookingVersion,
              (booking.status == .cancelled) == job.message.isCancellation else {
            return .failure("booking changed or cancelled before sending")
        }
        switch job.recipient {
        case .mediator(let id):
            guard job.message == .certificateDue else { return .failure("\(job.message.rawValue) does not go to a mediator") }
            guard booking.kind == .mediation else {
                return .failure("only mediation has a certificate, and \(booking.reference) is a disagreement resolution meeting")
            }
            guard let mediator = config.mediator(id), mediator.email != nil else {
                return .failure("the mediator has no email address in the config")
            }
            guard let deadline = MessagePlanner.certificateDeadline(booking, calendar: config.calendar) else {
                return .failure("no certificate deadline")
            }
            return .success(Resolved(subject: .certificate(booking, mediator: mediator, deadline: deadline.day), usefulUntil: deadline.end))
        case .party(let index, let role):
            // The party must still be the one the job was planned for.
            guard booking.parties.indices.contains(index), booking.parties[index].role == role,
                  booking.parties[index].email != nil else {
                return .failure("booking changed or cancelled before sending")
            }
            var resolved = try await resolveParty(job, booking: booking, calls: calls, index: index)
            // Only with [bounces] set: nothing else records a bounced address.
            if config.bounces != nil, case .success(var found) = resolved, let address = booking.parties[index].email,
               try await store.hasBounced(booking: booking.reference, address: address) {
                found.bouncedAddress = true
                resolved = .success(found)
            }
            return resolved
        case .staff:
            return .failure("unreachable")
        }
    }

    private func resolveParty(_ job: Job, booking: Booking, calls: [PrepCall], index: Int)
    async throws(StoreError) -> Result<Resolved, SkipReason> {
        let party = booking.parties[index]
        let mediator = config.mediator(booking.mediator)
        let quietZone = party.role.isFamilyFacing ? booking.meeting.timezone : nil
        let own = calls.first { $0.with.contains(party.role) }
        switch job.message {
        case .prepCallScheduled, .prepCallReminder:
            guard let own else { return .failure("the call is no longer planned") }
            return .success(Resolved(subject: .party(booking, index: index, mediator: mediator, call: own, calls: calls, previous: nil),
                                     usefulUntil: own.start, quietZone: quietZone))
        case .prepCallCancelled:
            guard try await store.wasToldOfCall(booking: booking.reference, partyIndex: index) else {
                return .failure("the party was never told of a call")
            }
            guard let cancelled = try await store.cancelledCalls(booking: booking.reference).first(where: { $0.with.contains(party.role) }) else {
                return .failure("no call was cancelled")
            }
            return .success(Resolved(subject: .party(booking, index: index, mediator: mediator, call: cancelled, calls: [], previous: nil),
                                     usefulUntil: cancelled.start, quietZone: quietZone))
        case .bookingChanged:
            let previous = try await store.announcedVersion(of: booking.reference, partyIndex: index, before: booking.version)
            return .success(Resolved(subject: .party(booking, index: index, mediator: mediator, call: own, calls: calls, previous: previous),
                                     usefulUntil: booking.meeting.start, quietZone: quietZone))
        default:
            return .success(Resolved(subject: .party(booking, index: index, mediator: mediator, call: own, calls: calls, previous: nil),
                                     usefulUntil: booking.meeting.start, quietZone: quietZone))
        }
    }

    /// The day's calls and meetings of the agenda's mediator.
    private func resolveAgenda(_ job: Job, mediator id: String) async throws(StoreError) -> Result<Resolved, SkipReason> {
        guard let mediator = config.mediator(id), mediator.email != nil else {
            return .failure("the mediator has no email address in the config")
        }
        let zone = config.planning.zone
        let day = LocalDate(job.due, zoneID: zone)
        guard let start = day.start(in: zone), let end = day.adding(days: 1).start(in: zone) else {
            return .failure("no such day")
        }
        var calls: [(call: PrepCall, booking: Booking)] = []
        for call in try await store.calls(from: start, to: end, mediator: id) {
            if let booking = try await store.booking(call.booking) { calls.append((call, booking)) }
        }
        let meetings = try await store.meetings(from: start, to: end, mediator: id)
        guard !calls.isEmpty || !meetings.isEmpty else { return .failure("nothing on the agenda") }
        return .success(Resolved(subject: .agenda(mediator: mediator, day: day, zoneID: zone, calls: calls, meetings: meetings),
                                 usefulUntil: end))
    }

    /// The alerts a staff digest carries.
    private func resolveDigest(_ job: Job) async throws(StoreError) -> Result<Resolved, SkipReason> {
        let alerts = try await store.alerts(inDigest: job.id)
        guard !alerts.isEmpty else { return .failure("the digest holds no alerts") }
        let context = AdminAlertContext(service: config.service, alerts: alerts.map { ($0.alert, $0.raisedAt) }, zoneID: config.planning.zone)
        return .success(Resolved(subject: .staff(context, address: config.adminEmail), usefulUntil: nil))
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
