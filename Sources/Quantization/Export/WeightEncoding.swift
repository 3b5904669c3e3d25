/// How one layer's integer weight levels are stored for ONNX DequantizeLinear.
///
/// Our levels are unsigned, `q ∈ 0…2^b−1`, with a per-channel zero point `z`
/// (integral, possibly outside the level range when a channel's L_p range
/// does not contain 0). DequantizeLinear computes `(x − zp)·scale`, so any
/// per-channel offset `o` with `x = q − o` and `zp = z − o` gives the same
/// dequantized weights, bit for bit (the difference `x − zp = q − z` is the
/// same integer). The canonical offset is `2^(b−1)`, which maps the b-bit
/// levels onto the signed b-bit range `−2^(b−1)…2^(b−1)−1` of an int8.
/// A channel whose zero point then falls outside int8 gets the offset nearest
/// to the canonical one that keeps both its levels and its zero point in
/// int8; if none exists (only possible at 8 bits with a range excluding 0),
/// the layer is stored as int32 levels `q − z` with zero point 0, which is
/// exact too and still a DequantizeLinear.
public struct WeightEncoding: Sendable, Equatable {
    public enum Storage: String, Sendable, Codable, Equatable { case int8, int32 }

    public var storage: Storage
    /// `q − o` per weight (int8 storage) or `q − z` (int32 storage).
    public var values: [Int32]
    /// Per channel, in the storage type.
    public var zeroPoints: [Int32]
    public var scales: [Float]
    /// Per channel, the `o` of `x = q − o`; `z` itself for int32 storage.
    public var offsets: [Int32]

    public init(_ layer: LayerQuantization) throws(ExportError) {
        let bits = layer.bits
        guard BitWidth.range.contains(bits) else { throw .unrepresentableBits(what: "layer \(layer.layer)", bits: bits) }
        let grid = layer.grid
        let channels = grid.channels
        guard channels > 0, layer.levels.count % channels == 0 else {
            throw .mismatch("layer \(layer.layer) has \(layer.levels.count) levels for \(channels) channels")
        }
        let per = layer.levels.count / channels
        let canonical = Int32(1 << (bits - 1))
        var offsets = [Int32](repeating: canonical, count: channels)
        var fits = true
        for c in 0..<channels {
            let z = Int32(grid.zeroPoints[c])
            let slice = layer.levels[c * per..<(c + 1) * per]
            let low = min(slice.min() ?? 0, z), high = max(slice.max() ?? 0, z)
            // x = v − o must lie in −128…127 for every level and the zero point.
            let lowest = high - 127, highest = low + 128
            if lowest > highest { fits = false; break }
            offsets[c] = min(max(canonical, lowest), highest)
        }
        scales = grid.scales
        if fits {
            storage = .int8
            self.offsets = offsets
            zeroPoints = (0..<channels).map { Int32(grid.zeroPoints[$0]) - offsets[$0] }
            values = layer.levels.indices.map { layer.levels[$0] - offsets[$0 / per] }
        } else {
            storage = .int32
            self.offsets = grid.zeroPoints.map { Int32($0) }
            zeroPoints = [Int32](repeating: 0, count: channels)
            values = layer.levels.indices.map { layer.levels[$0] - Int32(grid.zeroPoints[$0 / per]) }
        }
    }

    /// True when every channel uses the canonical offset `2^(b−1)`.
    public func isCanonical(bits: Int) -> Bool {
        storage == .int8 && offsets.allSatisfy { $0 == Int32(1 << (bits - 1)) }
    }
}
