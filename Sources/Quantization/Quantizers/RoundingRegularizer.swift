import Foundation

/// AdaRound's rounding regulariser `λ·Σ (1 − |2h(α) − 1|^β)` and its schedule.
///
/// Pushes every soft rounding h towards 0 or 1. Off while `t < warmup·T`
/// (t is the 1-based iteration, T the unit's iteration count), then β decays
/// linearly from `betaStart` (|2h − 1|^β is flat except near 0 and 1: only
/// values already close to a grid point are pushed, the rest move freely) to
/// `betaEnd` (a parabola: every value is pushed out to 0 or 1) — the reference's
/// `LinearTempDecay` with `start_decay = warmup·T`.
public struct RoundingRegularizer: Sendable, Equatable, Codable {
    public var weight: Float
    public var betaStart: Float
    public var betaEnd: Float
    public var warmup: Float
    /// T; may change while a unit runs (the schedule then stretches or shrinks).
    public var totalIterations: Int

    public init(weight: Float = 0.01, betaStart: Float = 20, betaEnd: Float = 2, warmup: Float = 0.2, totalIterations: Int) {
        precondition(totalIterations >= 1)
        self.weight = weight
        self.betaStart = betaStart
        self.betaEnd = betaEnd
        self.warmup = warmup
        self.totalIterations = totalIterations
    }

    public init(_ hyperparameters: Hyperparameters, totalIterations: Int) {
        self.init(weight: Float(hyperparameters.roundWeight), betaStart: Float(hyperparameters.betaStart),
                  betaEnd: Float(hyperparameters.betaEnd), warmup: Float(hyperparameters.warmup),
                  totalIterations: totalIterations)
    }

    /// The iteration at which the regulariser switches on (a real number, as in the reference).
    public var start: Float { warmup * Float(totalIterations) }

    /// Iterations with the regulariser off: those with `t < start`.
    public var warmupIterations: Int { Swift.max(0, Int(start.rounded(.up)) - 1) }

    /// β at 1-based iteration `t`, or nil while the regulariser is off.
    public func beta(iteration t: Int) -> Float? {
        let t = Float(t)
        if t < start { return nil }
        let span = Float(totalIterations) - start
        let relative = span > 0 ? (t - start) / span : 1
        return betaEnd + (betaStart - betaEnd) * Swift.max(0, 1 - relative)
    }

    /// `1 − |2h − 1|^β` for one soft rounding value (without λ).
    @inline(__always)
    public static func penalty(_ h: Float, beta: Float) -> Float {
        penaltyAndDerivative(h, beta: beta).penalty
    }

    /// d penalty / dh = −2β·|2h − 1|^(β−1)·sign(2h − 1) (without λ).
    @inline(__always)
    public static func penaltyDerivative(_ h: Float, beta: Float) -> Float {
        penaltyAndDerivative(h, beta: beta).derivative
    }

    /// Both at once from one `pow`, |u|^β = |u|·|u|^(β−1): the training loop needs both for every weight.
    @inline(__always)
    public static func penaltyAndDerivative(_ h: Float, beta: Float) -> (penalty: Float, derivative: Float) {
        let u = 2 * h - 1
        let a = abs(u)
        if a == 0 { return (1, 0) }
        let power = Foundation.pow(a, beta - 1)
        let magnitude = 2 * beta * power
        return (1 - a * power, u > 0 ? -magnitude : magnitude)
    }
}
