import Foundation

extension Xoshiro256StarStar {
    /// Uniform in `[0, 1)` with 24 random bits (every float32 step of that grid is reachable).
    @inlinable
    public mutating func uniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in `[low, high)`.
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniform()
    }

    /// Uniform in `[0, 1)` with 53 bits, for the Box–Muller logarithm.
    @inlinable
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal (Box–Muller). One of the pair is discarded so the
    /// generator needs no cached state and stays a plain value.
    public mutating func normal(mean: Float = 0, standardDeviation: Float = 1) -> Float {
        let u1 = 1 - uniformDouble()  // (0, 1]: log stays finite
        let u2 = uniformDouble()
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return mean + standardDeviation * Float(z)
    }

    /// Fills `values` with normals, using both numbers of each Box–Muller pair.
    public mutating func fillNormal(_ values: inout [Float], mean: Float = 0, standardDeviation: Float = 1) {
        var i = 0
        while i < values.count {
            let u1 = 1 - uniformDouble(), u2 = uniformDouble()
            let r = (-2 * log(u1)).squareRoot(), theta = 2 * Double.pi * u2
            values[i] = mean + standardDeviation * Float(r * cos(theta))
            if i + 1 < values.count { values[i + 1] = mean + standardDeviation * Float(r * sin(theta)) }
            i += 2
        }
    }

    /// Fills `values` uniformly in `[low, high)`.
    public mutating func fillUniform(_ values: inout [Float], low: Float = 0, high: Float = 1) {
        for i in values.indices { values[i] = uniform(low, high) }
    }

    /// Uniform integer in `0..<upperBound` without modulo bias (Lemire's method, via the stdlib).
    public mutating func integer(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upper bound must be positive")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var values = Array(0..<count)
        if count < 2 { return values }
        for i in stride(from: count - 1, to: 0, by: -1) {
            values.swapAt(i, integer(below: i + 1))
        }
        return values
    }

    /// `k` distinct indices from `0..<population`, in random order.
    ///
    /// A partial Fisher–Yates over a sparse map of swapped positions, so
    /// drawing a 1024-image calibration set from 60 000 costs O(k), not O(n).
    public mutating func sample(_ k: Int, from population: Int) -> [Int] {
        precondition(k >= 0 && k <= population, "cannot draw \(k) distinct values from \(population)")
        var swapped: [Int: Int] = [:]
        var result: [Int] = []
        result.reserveCapacity(k)
        for i in 0..<k {
            let j = i + integer(below: population - i)
            let atJ = swapped[j] ?? j
            let atI = swapped[i] ?? i
            result.append(atJ)
            swapped[j] = atI
        }
        return result
    }
}
