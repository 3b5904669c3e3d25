/// The project's seeded generator (xoshiro256** by Blackman and Vigna).
///
/// Reproducibility is a feature (a run is deterministic given its seed), so
/// nothing uses the system generator. `split()` hands a sub-task (a data
/// loader, a QDrop mask, one worker) its own stream, so adding a consumer does
/// not shift the numbers every other consumer sees.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    /// Restores a generator from `state` (e.g. from a checkpoint). Must not be all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro state must not be all zero")
        self.state = state
    }

    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// A new generator whose stream is independent of this one's; advances `self`.
    ///
    /// The child is seeded by passing one output of `self` through SplitMix64,
    /// like `SplittableRandom`; xoshiro's `jump()` would give provably disjoint
    /// ranges but nests badly (a child's jump lands on its parent's next range).
    public mutating func split() -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: next() ^ 0x6A09_E667_F3BC_C909)
    }

    public static func == (a: Self, b: Self) -> Bool { a.state == b.state }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(state.0); hasher.combine(state.1); hasher.combine(state.2); hasher.combine(state.3)
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
