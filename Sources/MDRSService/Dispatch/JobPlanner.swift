import Foundation
import MediationDomain
import Messages
import Store

/// Turns a booking version into the jobs it wants. Deterministic: the same
/// booking always gives the same jobs with the same keys, so re-ingesting
/// it changes nothing and a new version is applied as a diff.
///
/// Each party with an email address gets, at once: a confirmation for a new
/// booking, the new details for a changed one, a cancellation when it is
/// called off (nothing for a booking that arrives already cancelled).
public enum JobPlanner {
    public static func plan(_ booking: Booking, previous: Booking? = nil, now: Date) -> [NewJob] {
        let kind: MessageKind
        switch (booking.status, previous?.status) {
        case (.booked, nil): kind = .bookingConfirmation
        case (.booked, _): kind = .bookingChanged
        case (.cancelled, .booked?): kind = .bookingCancelled
        case (.cancelled, _): return []
        }
        return booking.parties.enumerated().compactMap { index, party in
            guard party.email != nil else { return nil }
            return NewJob(dedupeKey: "\(kind.rawValue).\(booking.reference).v\(booking.version).\(party.role.rawValue).\(index)",
                          message: kind.rawValue, role: party.role.rawValue, partyIndex: index, due: now)
        }
    }
}
