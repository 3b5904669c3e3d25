import Foundation
import Network
import Quantization

/// What `--summary FILE` holds: the run's settings, FP and quantized metrics,
/// every unit's losses, the bits per layer and the wall time.
public struct RunSummaryFile: Sendable, Codable, Equatable {
    public struct UnitLoss: Sendable, Codable, Equatable {
        public var name: String
        public var status: UnitStatus
        public var lossBefore: Double
        public var lossAfter: Double
        public var seconds: Double
    }

    public var model: String
    public var data: String
    public var method: RunConfiguration.Method
    public var wbits: Int
    public var abits: Int
    public var granularity: Granularity
    public var loss: Hyperparameters.Loss
    public var qdrop: Double
    public var roundWeight: Double
    public var iterations: Int
    public var activationIterations: Int
    public var calibSize: Int
    public var seed: UInt64
    public var fpTop1: Double?
    public var fpTop5: Double?
    public var quantTop1: Double?
    public var quantTop5: Double?
    /// Mean KL(FP softmax ‖ quantized softmax) over the evaluation images.
    public var kl: Double?
    public var evaluationImages: Int
    public var units: [UnitLoss]
    public var bits: [String: LayerBits]
    public var wallSeconds: Double

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: path)
    }
}
