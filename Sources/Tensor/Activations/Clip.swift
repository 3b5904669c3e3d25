/// Elementwise clamp to `[min, max]`: ReLU is `[0, ∞)`, ReLU6 is `[0, 6]`
/// (ONNX `Relu`, `Clip`). One implementation so the gradient rule is shared.
///
/// The gradient passes where the input is strictly inside the interval,
/// matching PyTorch's `hardtanh`/`relu` backward (zero at the kinks).
public enum Clip {
    /// `output` may be the same tensor as `input` only through `forwardInPlace`.
    public static func forward(input: Tensor, min lo: Float, max hi: Float, output: inout Tensor) {
        output.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { x in
            output.data.withUnsafeMutableBufferPointer { y in
                clamp(x.baseAddress!, into: y.baseAddress!, count: x.count, lo, hi)
            }
        }
    }

    public static func forwardInPlace(_ tensor: inout Tensor, min lo: Float, max hi: Float) {
        tensor.data.withUnsafeMutableBufferPointer { y in
            clamp(y.baseAddress!, into: y.baseAddress!, count: y.count, lo, hi)
        }
    }

    /// `gradInput = gradOutput` where `lo < input < hi`, else 0. `gradInput` may alias nothing.
    public static func backward(input: Tensor, gradOutput: Tensor, min lo: Float, max hi: Float, gradInput: inout Tensor) {
        precondition(input.shape == gradOutput.shape, "clip backward: \(input.shape) vs \(gradOutput.shape)")
        gradInput.resize(to: input.shape)
        input.data.withUnsafeBufferPointer { x in
            gradOutput.data.withUnsafeBufferPointer { dy in
                gradInput.data.withUnsafeMutableBufferPointer { dx in
                    mask(dy.baseAddress!, by: x.baseAddress!, into: dx.baseAddress!, count: x.count, lo, hi)
                }
            }
        }
    }

    /// Masks `gradient` in place by the input, for chains that reuse one buffer.
    public static func backwardInPlace(input: Tensor, gradient: inout Tensor, min lo: Float, max hi: Float) {
        precondition(input.shape == gradient.shape, "clip backward: \(input.shape) vs \(gradient.shape)")
        input.data.withUnsafeBufferPointer { x in
            gradient.data.withUnsafeMutableBufferPointer { g in
                mask(g.baseAddress!, by: x.baseAddress!, into: g.baseAddress!, count: x.count, lo, hi)
            }
        }
    }

    // Eight lanes at a time without branches: the sign of a pre-activation is
    // random, so a per-element branch mispredicts half the time, and the
    // scalar loop does not vectorise. `into` may equal the source.
    private typealias Lanes = SIMD8<Float>

    private static func clamp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, _ lo: Float, _ hi: Float) {
        let vectors = count / Lanes.scalarCount
        let raw = UnsafeRawPointer(x), out = UnsafeMutableRawPointer(y)
        let low = Lanes(repeating: lo), high = Lanes(repeating: hi)
        for v in 0..<vectors {
            let offset = v * MemoryLayout<Lanes>.stride
            // Masked replacement, not `clamped(lowerBound:upperBound:)`, which calls the unspecialised generic pointwiseMin/Max.
            var value = raw.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            value.replace(with: low, where: value .< low)
            value.replace(with: high, where: value .> high)
            out.storeBytes(of: value, toByteOffset: offset, as: Lanes.self)
        }
        for i in vectors * Lanes.scalarCount..<count { y[i] = Swift.min(Swift.max(x[i], lo), hi) }
    }

    /// `into[i] = gradient[i]` where `lo < input[i] < hi`, else 0.
    private static func mask(_ gradient: UnsafePointer<Float>, by input: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                             count: Int, _ lo: Float, _ hi: Float) {
        let vectors = count / Lanes.scalarCount
        let g = UnsafeRawPointer(gradient), x = UnsafeRawPointer(input), o = UnsafeMutableRawPointer(out)
        let low = Lanes(repeating: lo), high = Lanes(repeating: hi), zero = Lanes(repeating: 0)
        for v in 0..<vectors {
            let offset = v * MemoryLayout<Lanes>.stride
            let value = x.loadUnaligned(fromByteOffset: offset, as: Lanes.self)
            let inside = (value .> low) .& (value .< high)
            let passed = zero.replacing(with: g.loadUnaligned(fromByteOffset: offset, as: Lanes.self), where: inside)
            o.storeBytes(of: passed, toByteOffset: offset, as: Lanes.self)
        }
        for i in vectors * Lanes.scalarCount..<count { out[i] = (input[i] > lo && input[i] < hi) ? gradient[i] : 0 }
    }
}
