import Foundation
public import MediationDomain

/// Bookings handed to the store while they are still being read: a reader
/// thread validates a file and puts each booking in; the store's
/// transaction takes them out and writes them. At most `capacity` wait in
/// between, so a file of 100,000 bookings never sits in memory whole, and
/// reading and storing run on two cores at once. A reader that finds the
/// file wrong fails the feed: the store rolls back, and the file stays all
/// or nothing.
public final class BookingFeed: @unchecked Sendable {
    // @unchecked: every field is guarded by `condition`.
    private let condition = NSCondition()
    private var buffer: [Fed] = []
    private var head = 0
    private var finished = false
    private var abandoned = false
    private var failure: (any Error)?
    private let capacity: Int
    /// A store task waiting in ``nextWhenReady()``.
    private var waiter: CheckedContinuation<Void, Never>?

    /// An open feed for a reader to fill.
    public init(capacity: Int = 256) { self.capacity = capacity }

    /// A feed of bookings already read.
    public init(_ bookings: [Booking]) {
        capacity = max(bookings.count, 1)
        buffer = bookings.map { Fed(booking: $0, body: BookingBody.encode($0)) }
        finished = true
    }

    /// A booking with its stored JSON body, encoded by the reader's thread
    /// so the store's (the busier) need not.
    public struct Fed: Sendable {
        public var booking: Booking
        public var body: String
    }

    /// Why the reader stopped the feed: the store ends its transaction with
    /// ``StoreError/Kind/refused`` carrying it.
    public struct Refused: Error, Sendable {
        public var reason: any Error
    }

    /// Adds a booking, waiting while the store is behind. Returns `false`
    /// once the store has stopped taking (the reader should stop too).
    @discardableResult
    public func put(_ booking: Booking) -> Bool {
        let fed = Fed(booking: booking, body: BookingBody.encode(booking))
        condition.lock()
        defer { condition.unlock() }
        while buffer.count - head >= capacity && !abandoned { condition.wait() }
        guard !abandoned else { return false }
        if head > capacity {
            buffer.removeFirst(head)
            head = 0
        }
        buffer.append(fed)
        // Only an empty feed has the store waiting: waking it for every
        // booking cost a context switch each, both ways.
        if buffer.count - head == 1 { condition.broadcast() }
        wakeWaiter()
        return true
    }

    /// Resumes a waiting ``nextWhenReady()``; called holding the lock.
    private func wakeWaiter() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        }
    }

    /// Every booking is in.
    public func finish() { close(nil) }

    /// The file is wrong: the store must store none of it.
    public func fail(_ reason: any Error) { close(reason) }

    private func close(_ reason: (any Error)?) {
        condition.lock()
        finished = true
        failure = reason
        condition.broadcast()
        wakeWaiter()
        condition.unlock()
    }

    /// The next booking, waiting for the reader; `nil` at the end.
    /// - Throws: ``Refused`` when the reader failed the feed.
    public func next() throws(Refused) -> Fed? {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count && !finished { condition.wait() }
        if let failure { throw Refused(reason: failure) }
        guard head < buffer.count else { return nil }
        let booking = buffer[head]
        head += 1
        // The reader waits only on a full feed: let it go once half is free,
        // so it puts in a run of bookings rather than one at a time.
        if buffer.count - head == capacity / 2 { condition.broadcast() }
        return booking
    }

    /// ``next()`` for a store whose transaction is asynchronous: it
    /// suspends, rather than block a thread, until the reader has put a
    /// booking in or finished.
    public func nextWhenReady() async throws(Refused) -> Fed? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if head < buffer.count || finished {
                condition.unlock()
                continuation.resume()
            } else {
                waiter = continuation
                condition.unlock()
            }
        }
        return try next()
    }

    /// The store takes no more (it failed or stopped): a waiting reader is
    /// let go.
    public func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        condition.unlock()
    }
}
