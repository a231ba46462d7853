public import MediationDomain
import Synchronization

/// Bookings already decoded, by reference and the version, time stored and
/// time erased read with the body: a body is parsed once, not for every
/// email about it (a booking has a dozen). A new version, the same one
/// stored again or an erasure changes the stamp, and the body is read
/// afresh; the stamp is read with every lookup, so another process's
/// change is never missed.
public final class BookingCache: Sendable {
    /// What identifies one stored body.
    public struct Stamp: Sendable, Equatable {
        public var version: Int64
        public var storedAt: Int64
        public var erasedAt: Int64?

        /// The stamp of a row.
        public init(version: Int64, storedAt: Int64, erasedAt: Int64?) {
            self.version = version
            self.storedAt = storedAt
            self.erasedAt = erasedAt
        }
    }

    private struct Entry {
        var stamp: Stamp
        var booking: Booking
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    /// A cache of at most `capacity` bookings.
    public init(capacity: Int = 8192) { self.capacity = capacity }

    /// The booking stored as `reference` with `stamp`, decoded by `decode`
    /// unless it already was.
    public func booking(_ reference: String, stamp: Stamp, decode: () throws(StoreError) -> Booking) throws(StoreError) -> Booking {
        if let entry = entries.withLock({ $0[reference] }), entry.stamp == stamp { return entry.booking }
        let booking = try decode()
        entries.withLock { entries in
            // Full: start again rather than track which is oldest.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[reference] = Entry(stamp: stamp, booking: booking)
        }
        return booking
    }
}
