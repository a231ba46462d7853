import Foundation
import MediationDomain
import Messages
import Store

/// Turns a booking version into the jobs it wants. Deterministic: the same
/// booking always gives the same jobs with the same keys, so re-ingesting
/// it changes nothing and a new version is applied as a diff.
///
/// Today a booked meeting gets one confirmation per party with an email
/// address, due at once; a cancelled one gets nothing new (its unsent jobs are
/// cancelled by the store's diff).
public enum JobPlanner {
    public static func plan(_ booking: Booking, now: Date) -> [NewJob] {
        guard booking.status == .booked else { return [] }
        return booking.parties.enumerated().compactMap { index, party in
            guard party.email != nil else { return nil }
            let kind = MessageKind.bookingConfirmation.rawValue
            return NewJob(dedupeKey: "\(kind).\(booking.reference).v\(booking.version).\(party.role.rawValue).\(index)",
                          message: kind, role: party.role.rawValue, partyIndex: index, due: now)
        }
    }
}
