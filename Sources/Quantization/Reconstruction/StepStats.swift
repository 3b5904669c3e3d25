/// What one reconstruction iteration reports (the engine's iteration event).
public struct StepStats: Sendable, Equatable {
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
    public var activationLearningRate: Double
}
