/// Identifies one scheduled timer. The generation makes a handle go stale once
/// its timer fires or is cancelled, even if the wheel reuses the slab entry.
public struct TimerHandle: Hashable, Sendable {
    @usableFromInline let index: UInt32
    @usableFromInline let generation: UInt32

    @usableFromInline
    init(index: UInt32, generation: UInt32) {
        self.index = index
        self.generation = generation
    }
}
