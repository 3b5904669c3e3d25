import Foundation
import Tensor
import Network
import Quantization
import Tensor

/// What `--summary FILE` holds: the run's settings (`RunSettings`, flat beside
/// the other keys), FP and quantized metrics, every unit's losses, the bits
/// per layer and the wall time.
@dynamicMemberLookup
public struct RunSummaryFile: Sendable, Codable, Equatable {
    public struct UnitLoss: Sendable, Codable, Equatable {
        public var name: String
        public var status: UnitStatus
        public var lossBefore: Double
        public var lossAfter: Double
        public var seconds: Double
    }

    public var settings: RunSettings
    public var results: Results

    /// Everything but the identifying settings: the hyperparameters that shaped
    /// the result, the metrics, each unit's losses, the bits and the wall time.
    public struct Results: Sendable, Codable, Equatable {
        public var loss: Hyperparameters.Loss
        public var qdrop: Double
        public var roundWeight: Double
        public var calibSize: Int
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
        /// The per-layer analysis of the final model (docs/analysis.md); nil when off.
        public var analysis: AnalysisReport? = nil
        /// How the activation caches were stored (`--cache-precision`, `auto` resolved).
        public var activationCache: ActivationCache.Precision? = nil
        /// The process's peak resident memory at the end of the run (`PeakResidentMemory`).
        public var peakRssBytes: Int? = nil
    }

    public init(settings: RunSettings, results: Results) {
        self.settings = settings
        self.results = results
    }

    /// The fields of both parts read as the summary's own (`summary.wbits`, `summary.fpTop1`).
    public subscript<T>(dynamicMember path: WritableKeyPath<RunSettings, T>) -> T {
        get { settings[keyPath: path] }
        set { settings[keyPath: path] = newValue }
    }
    public subscript<T>(dynamicMember path: WritableKeyPath<Results, T>) -> T {
        get { results[keyPath: path] }
        set { results[keyPath: path] = newValue }
    }

    // Both parts write into one flat object.
    public init(from decoder: any Decoder) throws {
        settings = try RunSettings(from: decoder)
        results = try Results(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        try results.encode(to: encoder)
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: path)
    }
}
