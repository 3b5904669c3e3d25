/// Measured sensitivities of a network to its layers' weight bits: the data
/// the genetic search minimises over.
///
/// For every unit (block) holding searchable layers the table keeps raw
/// Fisher-weighted output errors `E(·)` of that unit on the calibration
/// images, measured with the unit's activation quantizers at the run's
/// activation bits and every weight FP except the ones named:
///
/// - `baseline[u]`: no layer quantized (only activations; 0 at A32);
/// - `single[i][a]`: layer i alone at `candidateBits[a]`;
/// - `pairs`: every two layers of one unit at every two candidate bits.
///
/// From these, the diagonal term is `E_i(a) − E∅` and the intra-block cross
/// term `E_ij(a, b) − E_i(a) − E_j(b) + E∅` (with activations at FP, E∅ = 0
/// and these are exactly BRECQ's "error alone" and "joint minus singles").
/// Units are independent, so the objective of a bit vector is
/// `Σ_units [E∅ + Σ_i diag + Σ_{i<j} cross]` — exact for units of ≤ 2 layers,
/// a second-order expansion otherwise.
public struct SensitivityTable: Sendable, Codable, Equatable {
    /// The joint errors of one pair of layers of one unit.
    public struct PairErrors: Sendable, Codable, Equatable {
        /// Indices into `space.layers`, `first < second`.
        public var first: Int
        public var second: Int
        /// `joint[a][b]`: first at `candidateBits[a]`, second at `candidateBits[b]`.
        public var joint: [[Double]]
        public init(first: Int, second: Int, joint: [[Double]]) {
            self.first = first; self.second = second; self.joint = joint
        }
    }

    public var space: SearchSpace
    public var candidateBits: [Int]
    /// Activation bits the errors were measured with (32: FP activations).
    public var activationBits: Int
    /// Calibration images the errors are averaged over.
    public var images: Int
    /// Per unit of `space.units`.
    public var baseline: [Double]
    /// Per searchable layer, per candidate bit width.
    public var single: [[Double]]
    public var pairs: [PairErrors]
    /// What the table was measured from (model, data, settings); the cache key.
    public var fingerprint: String

    public init(space: SearchSpace, candidateBits: [Int], activationBits: Int, images: Int, baseline: [Double],
                single: [[Double]], pairs: [PairErrors], fingerprint: String) {
        self.space = space
        self.candidateBits = candidateBits
        self.activationBits = activationBits
        self.images = images
        self.baseline = baseline
        self.single = single
        self.pairs = pairs
        self.fingerprint = fingerprint
    }

    /// Error added by quantizing layer `i` alone to `candidateBits[a]`.
    public func diagonal(layer i: Int, bitIndex a: Int) -> Double {
        single[i][a] - baseline[space.unitOfLayer[i]]
    }

    /// Joint error of a pair minus what the two layers add alone.
    public func cross(_ pair: PairErrors, _ a: Int, _ b: Int) -> Double {
        pair.joint[a][b] - single[pair.first][a] - single[pair.second][b] + baseline[space.unitOfLayer[pair.first]]
    }

    /// The search objective of a bit vector given as indices into `candidateBits`.
    public func objective(bitIndices: [Int]) -> Double {
        var total = baseline.reduce(0, +)
        for i in bitIndices.indices { total += diagonal(layer: i, bitIndex: bitIndices[i]) }
        for p in pairs { total += cross(p, bitIndices[p.first], bitIndices[p.second]) }
        return total
    }

    /// Indices into `candidateBits` of a vector of bit widths; nil if one is not a candidate.
    public func bitIndices(of bits: [Int]) -> [Int]? {
        var out: [Int] = []
        for b in bits {
            guard let k = candidateBits.firstIndex(of: b) else { return nil }
            out.append(k)
        }
        return out
    }
}
