/// A small deterministic generator for test fixtures (SplitMix64), so fixtures
/// do not depend on the library RNG under test.
struct FixtureRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }

    mutating func array(_ n: Int, _ lo: Float, _ hi: Float) -> [Float] {
        (0..<n).map { _ in uniform(lo, hi) }
    }
}

/// Relative closeness with an absolute floor, for finite-difference comparisons.
func close(_ a: Float, _ b: Float, relative: Float, absolute: Float) -> Bool {
    abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}
