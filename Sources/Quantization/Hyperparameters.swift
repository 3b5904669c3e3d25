/// The reconstruction settings a user can tune, by flag or from the dashboard.
/// Defaults are the reference BRECQ code's (see docs/algorithm.md).
public struct Hyperparameters: Sendable, Codable, Equatable {
    public enum Loss: String, Sendable, Codable, CaseIterable { case mse, fisher }

    /// λ, weight of the AdaRound rounding regulariser.
    public var roundWeight: Double = 0.01
    /// Adam learning rate for AdaRound's α.
    public var learningRate: Double = 1e-3
    /// Adam learning rate for learned activation steps.
    public var activationLearningRate: Double = 4e-4
    /// β of the regulariser decays linearly from `betaStart` to `betaEnd` after warm-up.
    public var betaStart: Double = 20
    public var betaEnd: Double = 2
    /// Fraction of iterations with the regulariser switched off.
    public var warmup: Double = 0.2
    public var batchSize: Int = 32
    /// Exponent of the output reconstruction error (2 for weights).
    public var p: Double = 2
    /// Exponent of the output error in the activation phase (the reference's 2.4).
    public var activationP: Double = 2.4
    public var loss: Loss = .mse
    /// Probability that an activation quantizer inside the unit is bypassed (QDrop); 0 = off.
    public var qdrop: Double = 0

    public init() {}

    /// λ beyond this only rounds every weight at once; the bound keeps recordings' numbers printable.
    public static let maximumRoundWeight = 1000.0

    /// A message naming the first out-of-range field, or nil when all are valid.
    public func validationError() -> String? {
        if !(roundWeight >= 0 && roundWeight <= Self.maximumRoundWeight) {
            return "round weight λ must be in 0…\(Int(Self.maximumRoundWeight)) (got \(roundWeight))"
        }
        if !(learningRate > 0 && learningRate < 1) { return "learning rate must be in (0, 1) (got \(learningRate))" }
        if !(activationLearningRate > 0 && activationLearningRate < 1) {
            return "activation learning rate must be in (0, 1) (got \(activationLearningRate))"
        }
        if !(betaStart >= betaEnd && betaEnd > 0) { return "β range must satisfy start ≥ end > 0 (got \(betaStart) → \(betaEnd))" }
        if !(warmup >= 0 && warmup < 1) { return "warm-up must be in [0, 1) (got \(warmup))" }
        if !(1...4096).contains(batchSize) { return "batch size must be in 1…4096 (got \(batchSize))" }
        if !(p >= 1 && p <= 8) { return "L_p exponent must be in [1, 8] (got \(p))" }
        if !(activationP >= 1 && activationP <= 8) { return "activation L_p exponent must be in [1, 8] (got \(activationP))" }
        if !(qdrop >= 0 && qdrop <= 1) { return "QDrop probability must be in [0, 1] (got \(qdrop))" }
        return nil
    }
}

extension Hyperparameters {
    private enum CodingKeys: String, CodingKey {
        case roundWeight, learningRate, activationLearningRate, betaStart, betaEnd, warmup, batchSize, p, activationP, loss, qdrop
    }

    /// Missing keys take their defaults, so recordings made before a field
    /// existed still decode.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var h = Hyperparameters()
        h.roundWeight = try c.decodeIfPresent(Double.self, forKey: .roundWeight) ?? h.roundWeight
        h.learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? h.learningRate
        h.activationLearningRate = try c.decodeIfPresent(Double.self, forKey: .activationLearningRate) ?? h.activationLearningRate
        h.betaStart = try c.decodeIfPresent(Double.self, forKey: .betaStart) ?? h.betaStart
        h.betaEnd = try c.decodeIfPresent(Double.self, forKey: .betaEnd) ?? h.betaEnd
        h.warmup = try c.decodeIfPresent(Double.self, forKey: .warmup) ?? h.warmup
        h.batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? h.batchSize
        h.p = try c.decodeIfPresent(Double.self, forKey: .p) ?? h.p
        h.activationP = try c.decodeIfPresent(Double.self, forKey: .activationP) ?? h.activationP
        h.loss = try c.decodeIfPresent(Loss.self, forKey: .loss) ?? h.loss
        h.qdrop = try c.decodeIfPresent(Double.self, forKey: .qdrop) ?? h.qdrop
        self = h
    }
}
