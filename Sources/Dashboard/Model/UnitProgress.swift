import Quantization
import Engine

/// What the dashboard knows about one reconstruction unit (stem, block, head…).
public struct UnitProgress: Sendable, Equatable {
    public var info: UnitInfo
    public var status: UnitStatus = .pending
    public var lossBefore: Double?
    public var lossAfter: Double?
    public var seconds: Double?
    /// The phase whose curve is shown: the one that ran last.
    public var phase: UnitPhase = .weights
    public var iterations: Int = 0
    public var warmupIterations: Int = 0
    public var curves: [UnitPhase: LossSeries] = [:]

    public init(info: UnitInfo) { self.info = info }

    public var curve: LossSeries? { curves[phase] }
}
