/// What one reconstruction iteration reports. The engine's iteration event
/// (`IterationStats`) carries it with the unit, the rate and the hard-rounded loss.
public struct StepStats: Sendable, Equatable, Codable {
    public var phase: UnitPhase
    /// 1-based iteration just finished.
    public var iteration: Int
    public var iterations: Int
    /// Output reconstruction loss of this iteration's batch (without regulariser).
    public var reconstructionLoss: Double
    /// λ·Σ(1 − |2h − 1|^β); 0 during warm-up and in the activation phase.
    public var regularizerLoss: Double
    /// β of this iteration; 0 while the regulariser is off.
    public var beta: Double
    /// Learning rate used for activation steps this iteration (0 when not learned).
    /// Not recorded in event logs (0 when read from one).
    public var activationLearningRate: Double = 0

    public init(phase: UnitPhase, iteration: Int, iterations: Int, reconstructionLoss: Double, regularizerLoss: Double,
                beta: Double, activationLearningRate: Double = 0) {
        self.phase = phase; self.iteration = iteration; self.iterations = iterations
        self.reconstructionLoss = reconstructionLoss; self.regularizerLoss = regularizerLoss
        self.beta = beta; self.activationLearningRate = activationLearningRate
    }

    enum CodingKeys: String, CodingKey {
        case phase, iteration, iterations, reconstructionLoss, regularizerLoss, beta
    }
}
