/// Everything mdrsd keeps: the one contract both backends (SQLite, the
/// embedded default; PostgreSQL for several instances) fulfil. The store is
/// the truth; the daemon's wheel is an index of it.
public protocol MDRSStore: BookingStore, JobQueue, StaffAlertStore, DeliveryLog, RecordKeeping, BounceStore, AnyObject {
    /// Which backend and where, for logs and `mdrsctl status`.
    var location: String { get }

    /// Whether other instances may send from this store too (PostgreSQL):
    /// then a sender that dies is noticed by the others when its leases
    /// end. SQLite has one sender, the daemon on its machine.
    var isShared: Bool { get }

    /// Tells of changes other processes (`mdrsctl`, other instances) made,
    /// until the stream is dropped; the daemon's own writes may show too.
    func externalChanges() throws(StoreError) -> AsyncStream<StoreChange>
}

/// Something another process changed.
public enum StoreChange: Sendable, Equatable {
    /// Jobs were added, moved or retried: the waiting jobs due soon should
    /// be read again.
    case jobs
    /// These jobs wait, due then: put them on the wheel.
    case scheduled([ScheduledJob])
}
