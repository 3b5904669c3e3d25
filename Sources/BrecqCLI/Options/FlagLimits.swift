import Engine
import Quantization

/// The ranges the help texts state and `FlagRange.check` enforces.
enum FlagLimits {
    static let iterations = RunConfiguration.iterationRange
    static let activationIterations = 0...1_000_000
    static let calibrationSize = 1...1_000_000
    static let batchSize = 1...4096
    static let evaluationImages = 1...10_000_000
    static let roundWeight = 0.0...Hyperparameters.maximumRoundWeight
    static let probability = 0.0...1
    static let sensitivityImages = 1...1_000_000
    static let population = 2...100_000
    static let generations = 0...100_000
    /// The dashboard's speed keys stay within the same range.
    static let replaySpeed = ReplaySession.speeds
}
