import CKernels
import Foundation
import Tensor

/// AdaRound: learns, per weight, whether to round down or up.
///
/// `ŵ = Δ·(clamp(⌊w/Δ⌋ + h(α) + z, 0, 2^b − 1) − z)` with the rectified sigmoid
/// `h(α) = clamp(σ(α)·(ζ − γ) + γ, 0, 1)`, ζ = 1.1, γ = −0.1. α starts where
/// h(α) is the fractional part of w/Δ, so the soft weights equal the FP
/// weights (inside the clamp range); at the end h is hardened to 1 where α ≥ 0.
/// The grid (Δ, z per output channel) is fixed; only α is learned.
public struct AdaRoundQuantizer: Sendable {
    public static let zeta: Float = 1.1
    public static let gamma: Float = -0.1

    public let grid: UniformAffineQuantizer
    /// ⌊w/Δ⌋ per weight.
    public let floors: [Float]
    /// The learned rounding logits, one per weight.
    public var alpha: [Float]
    /// Weights per output channel.
    public let channelSize: Int

    public init(weights: [Float], grid: UniformAffineQuantizer) {
        precondition(weights.count % grid.channels == 0)
        let per = weights.count / grid.channels
        self.grid = grid
        self.channelSize = per
        var floors = [Float](repeating: 0, count: weights.count)
        var alpha = [Float](repeating: 0, count: weights.count)
        let span = Self.zeta - Self.gamma
        for i in weights.indices {
            let scaled = weights[i] / grid.scales[i / per]
            let lower = scaled.rounded(.down)
            floors[i] = lower
            // σ(α) = (rest − γ)/(ζ − γ) ⇔ α = −log((ζ − γ)/(rest − γ) − 1); rest ∈ [0, 1)
            // keeps the argument positive, so α is finite.
            let rest = scaled - lower
            alpha[i] = -Foundation.log(span / (rest - Self.gamma) - 1)
        }
        self.floors = floors
        self.alpha = alpha
    }

    public var count: Int { alpha.count }

    @inline(__always)
    static func sigmoid(_ a: Float) -> Float { 1 / (1 + Foundation.exp(-a)) }

    /// h(α) for one weight.
    @inline(__always)
    public static func softRounding(_ a: Float) -> Float {
        Swift.min(Swift.max(sigmoid(a) * (zeta - gamma) + gamma, 0), 1)
    }

    /// h(α) for every weight.
    public func softRoundings() -> [Float] { alpha.map(Self.softRounding) }

    /// The soft-quantized weights (used during optimisation). Channels are
    /// independent, so they are split over the cores; each channel is one
    /// vectorised C pass (`ck_adaround_soft_weights`). `isa` picks the kernel
    /// build (tests run each; the default is the one the library uses).
    public func softWeights(into out: UnsafeMutableBufferPointer<Float>,
                            isa: ConvInstructionSet = .active) {
        precondition(out.count == count)
        guard count > 0 else { return }  // no buffer to point at
        let top = grid.maxLevel, per = channelSize, span = Self.zeta - Self.gamma
        alpha.withUnsafeBufferPointer { a in
            floors.withUnsafeBufferPointer { f in
                parallelChunks(grid.channels, work: count * Self.workPerWeight) { _, channels in
                    for c in channels {
                        ck_adaround_soft_weights(isa.rawValue, a.baseAddress! + c * per, f.baseAddress! + c * per, per,
                                                 Self.gamma, span, grid.scales[c], grid.zeroPoints[c], top,
                                                 out.baseAddress! + c * per)
                    }
                }
            }
        }
    }

    /// Weight for `parallelChunks`' estimate: layers below ~16 k weights stay on
    /// one thread, where the dispatch would cost more than it saves (measured
    /// with `brecq bench recon`: ResNet-20's 2.3 k-weight stage-1 convs slowed).
    static let workPerWeight = 2

    public func softWeights() -> [Float] {
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { softWeights(into: $0) }
        return out
    }

    /// The final integer levels: round up where α ≥ 0 (h(α) ≥ ½).
    public func hardLevels() -> [Int32] {
        let top = grid.maxLevel
        return alpha.indices.map { i in
            let c = i / channelSize
            let up: Float = alpha[i] >= 0 ? 1 : 0
            let level = floors[i] + up + grid.zeroPoints[c]
            // NaN would pass min/max and trap when made an integer.
            return level.isNaN ? Int32(Swift.min(Swift.max(grid.zeroPoints[c], 0), top)) : Int32(Swift.min(Swift.max(level, 0), top))
        }
    }

    /// Gradient with respect to α of `L(ŵ) + λ·Σ(1 − |2h − 1|^β)`, written into
    /// `alphaGradient`, given `weightGradient` = ∂L/∂ŵ. Returns the regulariser's
    /// value (0 when `beta` is nil, i.e. during warm-up).
    @discardableResult
    public func backward(weightGradient: UnsafeBufferPointer<Float>, regularizerWeight lambda: Float, beta: Float?,
                         alphaGradient: UnsafeMutableBufferPointer<Float>, isa: ConvInstructionSet = .active) -> Float {
        precondition(weightGradient.count == count && alphaGradient.count == count)
        guard count > 0 else { return 0 }  // no buffer to point at
        let top = grid.maxLevel, per = channelSize, span = Self.zeta - Self.gamma
        // Per-channel sums added in channel order: the same value however the channels are split.
        // A stack buffer: this runs for every layer on every iteration.
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: grid.channels) { penalty in
            alpha.withUnsafeBufferPointer { a in
                floors.withUnsafeBufferPointer { f in
                    parallelChunks(grid.channels, work: count * Self.workPerWeight) { _, channels in
                        for c in channels {
                            penalty[c] = ck_adaround_alpha_grad(
                                isa.rawValue, a.baseAddress! + c * per, f.baseAddress! + c * per,
                                weightGradient.baseAddress! + c * per, per, Self.gamma, span,
                                grid.scales[c], grid.zeroPoints[c], top, lambda, beta ?? 0, beta == nil ? 0 : 1,
                                alphaGradient.baseAddress! + c * per)
                        }
                    }
                }
            }
            return lambda * penalty.reduce(0, +)
        }
    }
}
