public import CPrefetch

/// A hierarchical timing wheel that indexes pending timers by their due
/// instant, in whole UTC epoch seconds.
///
/// The wheel has ``levelCount`` levels of 64 slots. Level *k* slots are
/// 64^*k* seconds wide; a timer lives at the level of the highest base-64
/// digit in which its deadline differs from the wheel's `now`, so it moves
/// ("cascades") down as `now` approaches it and fires from level 0, whose
/// slots are one second wide: never early, never late.
///
/// Each level keeps a 64-bit occupancy bitmap, so the next deadline is found
/// in O(levels) with one `trailingZeroBitCount` per level. Timers live in one
/// flat slab of 24-byte entries (deadline, position, generation, payload for a
/// 4-byte payload); a slot is a contiguous list of slab indices, and each entry
/// knows its position there, so cancelling is an O(1) swap-remove. Nothing is
/// allocated per timer: the slab and the slot lists only grow, and freed
/// entries are reused through a free list. Handles carry a generation, so
/// cancelling a handle whose timer already fired or was cancelled (and whose
/// entry may have been reused) is a no-op.
///
/// Slots hold indices rather than linked entries because a cascade then reads
/// its slot sequentially and the slab look-ups are independent memory accesses
/// the processor overlaps; a linked list makes each one wait for the last.
/// Timers due in the same second therefore fire in no particular order.
///
/// **Horizon.** Eleven levels of six bits cover 66 bits, more than the whole
/// non-negative `Int64` range, so no deadline is ever past the horizon and no
/// overflow list or refill from the store is needed. An empty level costs a
/// bitmap test; a deadline a century away cascades at most ten times.
///
/// **Time.** The wheel has no clock: callers pass `now` to ``advance(to:_:)``.
/// `now` never moves backwards; advancing to an earlier instant fires only
/// what is overdue, and timers wait for real time to catch up. A deadline at
/// or before `now` fires on the next advance.
///
/// ```swift
/// var wheel = TimerWheel<Int64>(now: 1_800_000_000)
/// let handle = wheel.schedule(at: 1_800_000_060, 42)
/// wheel.cancel(handle)                      // O(1); a stale handle is a no-op
/// wheel.advance(to: 1_800_000_060) { deadline, job in … }
/// ```
public struct TimerWheel<Payload> {
    /// Number of levels; 11 × 6 bits ≥ 64 bits, so every deadline fits.
    public static var levelCount: Int { 11 }
    @usableFromInline static var slotBits: UInt64 { 6 }
    @usableFromInline static var slotMask: UInt64 { 63 }
    @usableFromInline static var none: UInt32 { .max }
    /// The bucket that holds timers scheduled before `now`.
    @usableFromInline static var overdueBucket: Int { levelCount * 64 }
    @usableFromInline static var unknownMinimum: UInt64 { .max }
    @usableFromInline static var prefetchDistance: Int { 24 }

    @usableFromInline var entries: [Entry] = []
    /// Slab indices per bucket: 64 slots per level, then the overdue bucket.
    @usableFromInline var buckets: [[UInt32]]
    @usableFromInline var occupied: [UInt64]
    /// The earliest deadline in each slot above level 0, or ``unknownMinimum``
    /// after that earliest timer was cancelled (recomputed when next asked).
    @usableFromInline var slotMinimum: [UInt64]
    @usableFromInline var freeHead: UInt32 = TimerWheel.none
    @usableFromInline var elapsed: UInt64
    @usableFromInline var liveCount = 0
    /// Reused by cascades so moving a slot's timers allocates nothing.
    @usableFromInline var scratch: [UInt32] = []

    /// Creates an empty wheel whose time starts at `now` (epoch seconds).
    public init(now: Int64) {
        self.elapsed = UInt64(max(now, 0))
        self.buckets = Array(repeating: [], count: Self.overdueBucket + 1)
        self.occupied = Array(repeating: 0, count: Self.levelCount)
        self.slotMinimum = Array(repeating: Self.unknownMinimum, count: Self.overdueBucket)
    }

    /// Number of timers scheduled and neither fired nor cancelled.
    public var count: Int { liveCount }

    /// The wheel's current time; it only moves forward.
    public var now: Int64 { Int64(elapsed) }

    /// Reserves slab room for at least `capacity` timers. Growth is at least
    /// geometric, so calling this before every batch stays amortised O(1)
    /// (`Array.reserveCapacity` alone would grow to exactly the number asked).
    public mutating func reserveCapacity(_ capacity: Int) {
        guard capacity > entries.capacity else { return }
        entries.reserveCapacity(Swift.max(capacity, entries.capacity * 2))
    }

    /// Bytes the wheel holds: the slab, the slot lists and the slot tables.
    public var footprintBytes: Int {
        entries.capacity * MemoryLayout<Entry>.stride
            + buckets.reduce(0) { $0 + $1.capacity * MemoryLayout<UInt32>.stride }
            + buckets.capacity * MemoryLayout<[UInt32]>.stride
            + scratch.capacity * MemoryLayout<UInt32>.stride
            + (occupied.capacity + slotMinimum.capacity) * MemoryLayout<UInt64>.stride
    }

    /// Schedules `payload` to fire at `deadline` (epoch seconds) and returns a
    /// handle that can cancel it. A deadline at or before ``now`` fires on the
    /// next ``advance(to:_:)``. Negative deadlines are treated as 0.
    @inlinable
    @discardableResult
    public mutating func schedule(at deadline: Int64, _ payload: Payload) -> TimerHandle {
        let when = UInt64(max(deadline, 0))
        let index: UInt32
        if freeHead != Self.none {
            index = freeHead
            freeHead = entries[Int(index)].position
            entries[Int(index)].deadline = when
            entries[Int(index)].payload = payload
            entries[Int(index)].generation &+= 1
        } else {
            index = UInt32(entries.count)
            precondition(index != Self.none, "TimerWheel holds at most 2^32-1 timers")
            entries.append(Entry(deadline: when, payload: payload))
        }
        liveCount += 1
        insert(index, deadline: when)
        return TimerHandle(index: index, generation: entries[Int(index)].generation)
    }

    /// Cancels the timer behind `handle` in O(1). Returns its payload, or
    /// `nil` when the timer already fired or was cancelled.
    @inlinable
    @discardableResult
    public mutating func cancel(_ handle: TimerHandle) -> Payload? {
        let i = Int(handle.index)
        guard i < entries.count, entries[i].generation == handle.generation else { return nil }
        let deadline = entries[i].deadline
        let bucket = bucket(for: deadline)
        let position = Int(entries[i].position)
        let last = buckets[bucket].removeLast()
        if last != handle.index {
            buckets[bucket][position] = last
            entries[Int(last)].position = UInt32(position)
        }
        if bucket < Self.overdueBucket {
            if buckets[bucket].isEmpty {
                occupied[bucket >> 6] &= ~(1 << UInt64(bucket & 63))
            } else if deadline == slotMinimum[bucket] {
                slotMinimum[bucket] = Self.unknownMinimum
            }
        }
        return release(handle.index)
    }

    /// The exact earliest deadline among pending timers; `now` when a timer is
    /// overdue; `nil` when nothing is pending.
    ///
    /// O(levels): the first occupied slot holds the earliest timers, and each
    /// slot remembers its earliest deadline. Only after that very timer was
    /// cancelled is the slot rescanned, once (expected O(1) per cancel). It is
    /// exact, not a slot's start, so a scheduler sleeping on it never wakes
    /// just to cascade.
    @inlinable
    public var nextDeadline: Int64? {
        mutating get {
            if !buckets[Self.overdueBucket].isEmpty { return Int64(elapsed) }
            guard let next = nextExpiration() else { return nil }
            if next.level == 0 { return Int64(next.deadline) }
            let bucket = next.level * 64 + next.slot
            if slotMinimum[bucket] == Self.unknownMinimum {
                let slot = buckets[bucket]
                let slab = entries.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
                var earliest = Self.unknownMinimum
                for (k, index) in slot.enumerated() {
                    if let slab, k + Self.prefetchDistance < slot.count {
                        mdrs_prefetch(slab + Int(slot[k + Self.prefetchDistance]) * MemoryLayout<Entry>.stride)
                    }
                    earliest = min(earliest, entries[Int(index)].deadline)
                }
                slotMinimum[bucket] = earliest
            }
            return Int64(slotMinimum[bucket])
        }
    }

    /// Moves the wheel's time forward to `now` and calls `body` for every timer
    /// due by then, in deadline order (timers due in the same second in no
    /// particular order). Timers are removed before `body` runs, and `body` may
    /// not touch the wheel; collect what it needs. An earlier `now` than the
    /// wheel's fires only what is overdue and leaves the wheel's time alone.
    @inlinable
    public mutating func advance(to now: Int64, _ body: (_ deadline: Int64, _ payload: Payload) -> Void) {
        let target = max(UInt64(max(now, 0)), elapsed)
        fireOverdue(body)
        while let next = nextExpiration(), next.deadline <= target {
            elapsed = next.deadline
            let bucket = next.level * 64 + next.slot
            occupied[next.level] &= ~(1 << UInt64(next.slot))
            swap(&scratch, &buckets[bucket])
            // The slab entries a cascade visits are scattered; asking for the
            // one a few steps ahead overlaps their cache misses. The slab does
            // not move during the loop (nothing is appended to it).
            let slab = entries.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            let stride = MemoryLayout<Entry>.stride
            for (k, index) in scratch.enumerated() {
                if let slab, k + Self.prefetchDistance < scratch.count {
                    mdrs_prefetch(slab + Int(scratch[k + Self.prefetchDistance]) * stride)
                }
                if next.level == 0 {
                    body(Int64(next.deadline), release(index)!)
                } else {
                    insert(index, deadline: entries[Int(index)].deadline)
                }
            }
            scratch.removeAll(keepingCapacity: true)
        }
        if target > elapsed { elapsed = target }
    }

    /// Advances to `now` and returns what fired, in deadline order.
    public mutating func advance(to now: Int64) -> [(deadline: Int64, payload: Payload)] {
        var fired: [(deadline: Int64, payload: Payload)] = []
        advance(to: now) { fired.append(($0, $1)) }
        return fired
    }
}

extension TimerWheel: Sendable where Payload: Sendable {}
extension TimerWheel.Entry: Sendable where Payload: Sendable {}

// MARK: - Internals

extension TimerWheel {
    /// One slab entry. While free, `position` links the free list.
    @usableFromInline
    struct Entry {
        @usableFromInline var deadline: UInt64
        @usableFromInline var position: UInt32 = 0
        /// Odd while pending, even while free.
        @usableFromInline var generation: UInt32 = 1
        @usableFromInline var payload: Payload?

        @usableFromInline
        init(deadline: UInt64, payload: Payload) {
            self.deadline = deadline
            self.payload = payload
        }
    }

    /// The bucket for a deadline relative to `elapsed`: the level is that of the
    /// highest base-64 digit in which the two differ. A pending timer's bucket
    /// never changes until its slot is processed (`elapsed` cannot pass a slot's
    /// start without processing it), so it is derived, not stored.
    @inlinable
    func bucket(for when: UInt64) -> Int {
        if when < elapsed { return Self.overdueBucket }
        let masked = (elapsed ^ when) | Self.slotMask
        let significant = 63 - UInt64(masked.leadingZeroBitCount)
        let level = significant / Self.slotBits
        let slot = (when >> (level * Self.slotBits)) & Self.slotMask
        return Int(level * 64 + slot)
    }

    /// The earliest occupied slot: the first level with any timer holds the
    /// earliest deadlines, because every timer at a lower level falls inside
    /// the current slot of each higher level.
    @inlinable
    func nextExpiration() -> (level: Int, slot: Int, deadline: UInt64)? {
        for level in 0..<Self.levelCount {
            let bits = occupied[level]
            if bits == 0 { continue }
            let shift = UInt64(level) * Self.slotBits
            let nowSlot = (elapsed >> shift) & Self.slotMask
            let rotated = (bits >> nowSlot) | (bits << (64 - nowSlot))
            let slot = (UInt64(rotated.trailingZeroBitCount) + nowSlot) & Self.slotMask
            let levelBits = shift + Self.slotBits
            let levelStart = levelBits >= 64 ? 0 : elapsed & ~((1 << levelBits) - 1)
            var deadline = levelStart &+ (slot << shift)
            if deadline < elapsed && levelBits < 64 { deadline &+= 1 << levelBits }
            return (level, Int(slot), deadline)
        }
        return nil
    }

    @inlinable
    mutating func insert(_ index: UInt32, deadline when: UInt64) {
        let bucket = bucket(for: when)
        if bucket < Self.overdueBucket {
            if buckets[bucket].isEmpty {
                slotMinimum[bucket] = when
                occupied[bucket >> 6] |= 1 << UInt64(bucket & 63)
            } else if when < slotMinimum[bucket] && slotMinimum[bucket] != Self.unknownMinimum {
                slotMinimum[bucket] = when
            }
        }
        entries[Int(index)].position = UInt32(buckets[bucket].count)
        buckets[bucket].append(index)
    }

    /// Returns the entry to the free list, bumping its generation so old
    /// handles go stale, and drops the payload so nothing is kept alive.
    @inlinable
    mutating func release(_ index: UInt32) -> Payload? {
        let payload = entries[Int(index)].payload
        entries[Int(index)].payload = nil
        entries[Int(index)].generation &+= 1
        entries[Int(index)].position = freeHead
        freeHead = index
        liveCount -= 1
        return payload
    }

    /// Overdue timers (scheduled in the past) fire first, by deadline; they
    /// are rare, so the sort costs nothing.
    @inlinable
    mutating func fireOverdue(_ body: (Int64, Payload) -> Void) {
        if buckets[Self.overdueBucket].isEmpty { return }
        swap(&scratch, &buckets[Self.overdueBucket])
        scratch.sort { entries[Int($0)].deadline < entries[Int($1)].deadline }
        for index in scratch {
            let deadline = entries[Int(index)].deadline
            body(Int64(deadline), release(index)!)
        }
        scratch.removeAll(keepingCapacity: true)
    }
}
