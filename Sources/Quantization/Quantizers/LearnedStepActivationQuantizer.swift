import Network

/// Per-tensor activation quantizer whose step Δ can be learned (LSQ-like).
///
/// Forward: `x̂ = (clamp(round(x/Δ) + z, 0, 2^b − 1) − z)·Δ`. Backward uses the
/// straight-through estimator for `round` (its derivative taken as 1), exactly
/// what the reference's `round_ste` gives under autograd:
/// - ∂x̂/∂x = 1 inside the clamp range, 0 outside;
/// - ∂x̂/∂Δ = round(x/Δ) − x/Δ inside, (q − z) outside (q the clamped level).
/// The zero point is fixed after initialisation, as in the reference.
public struct LearnedStepActivationQuantizer: Sendable, Codable, Equatable {
    public var bits: Int
    public var step: Float
    public var zeroPoint: Float

    public init(bits: Int, step: Float, zeroPoint: Float) {
        precondition((1...16).contains(bits) && step > 0)
        self.bits = bits
        self.step = step
        self.zeroPoint = zeroPoint
    }

    /// Initialised by the L_p range search over a sample of the tensor.
    public init(fittedTo sample: UnsafeBufferPointer<Float>, bits: Int, search: LpRangeSearch = LpRangeSearch()) {
        let grid = search.fit(sample, channels: 1, bits: bits)
        self.init(bits: bits, step: grid.scales[0], zeroPoint: grid.zeroPoints[0])
    }

    public var maxLevel: Float { Float((1 << bits) - 1) }

    public var grid: UniformAffineQuantizer {
        UniformAffineQuantizer(bits: bits, scales: [step], zeroPoints: [zeroPoint])
    }

    /// `destination` may alias `source`.
    public func forward(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count)
        forward(source, into: destination) { _ in true }
    }

    public func forward(_ values: [Float]) -> [Float] {
        var out = values
        out.withUnsafeMutableBufferPointer { o in values.withUnsafeBufferPointer { forward($0, into: o) } }
        return out
    }

    /// Given the forward input `source` and ∂L/∂x̂ in `outputGradient`, writes
    /// ∂L/∂x into `inputGradient` (may alias `outputGradient`) and returns ∂L/∂Δ.
    public func backward(input source: UnsafeBufferPointer<Float>, outputGradient: UnsafeBufferPointer<Float>,
                         inputGradient: UnsafeMutableBufferPointer<Float>) -> Float {
        precondition(source.count == outputGradient.count && source.count == inputGradient.count)
        return backward(input: source, outputGradient: outputGradient, inputGradient: inputGradient) { _ in true }
    }

    /// QDrop forward: elements whose `keep` flag is 0 pass through unquantized
    /// (the FP value), the others are quantized. `destination` may alias `source`.
    public func forward(_ source: UnsafeBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>,
                        into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count && keep.count == source.count)
        forward(source, into: destination) { keep[$0] != 0 }
    }

    /// QDrop backward: dropped elements pass the gradient and add nothing to ∂L/∂Δ.
    public func backward(input source: UnsafeBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>,
                         outputGradient: UnsafeBufferPointer<Float>,
                         inputGradient: UnsafeMutableBufferPointer<Float>) -> Float {
        backward(input: source, outputGradient: outputGradient, inputGradient: inputGradient) { keep[$0] != 0 }
    }

    /// The forward loop of both variants; `isKept` is inlined, so the plain
    /// variant's constant `true` costs nothing per element.
    @inline(__always)
    private func forward(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Float>,
                         isKept: (Int) -> Bool) {
        let delta = step, z = zeroPoint, top = maxLevel
        for i in 0..<source.count {
            let x = source[i]
            if !isKept(i) { destination[i] = x; continue }
            let q = Swift.min(Swift.max((x / delta).rounded(.toNearestOrEven) + z, 0), top)
            destination[i] = (q - z) * delta
        }
    }

    /// The backward loop of both variants. ∂L/∂Δ is summed in Float partials
    /// flushed into a Double every 1024 elements; a dropped element skips the
    /// flush check, which keeps the QDrop variant's summation order as it was.
    @inline(__always)
    private func backward(input source: UnsafeBufferPointer<Float>, outputGradient: UnsafeBufferPointer<Float>,
                          inputGradient: UnsafeMutableBufferPointer<Float>, isKept: (Int) -> Bool) -> Float {
        let delta = step, z = zeroPoint, top = maxLevel
        var stepGradient: Double = 0
        var partial: Float = 0
        for i in 0..<source.count {
            let g = outputGradient[i]
            if !isKept(i) { inputGradient[i] = g; continue }
            let scaled = source[i] / delta
            let rounded = scaled.rounded(.toNearestOrEven)
            let level = rounded + z
            if level >= 0 && level <= top {
                partial += g * (rounded - scaled)
                inputGradient[i] = g
            } else {
                partial += g * ((level < 0 ? 0 : top) - z)
                inputGradient[i] = 0
            }
            if i & 1023 == 1023 { stepGradient += Double(partial); partial = 0 }
        }
        return Float(stepGradient + Double(partial))
    }
}

/// The executor's activation-quantizer plug.
extension LearnedStepActivationQuantizer: ActivationQuantizing {
    public func quantize(_ values: UnsafeMutableBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>?) {
        if let keep {
            forward(UnsafeBufferPointer(values), keep: keep, into: values)
        } else {
            forward(UnsafeBufferPointer(values), into: values)
        }
    }

    public func backward(input: UnsafeBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>?,
                         gradient: UnsafeMutableBufferPointer<Float>) -> Float {
        if let keep {
            return backward(input: input, keep: keep, outputGradient: UnsafeBufferPointer(gradient), inputGradient: gradient)
        }
        return backward(input: input, outputGradient: UnsafeBufferPointer(gradient), inputGradient: gradient)
    }
}
