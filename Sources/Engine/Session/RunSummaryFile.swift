import Foundation
import Network
import Quantization

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

    /// The settings' fields read as the summary's own (`summary.wbits`).
    public subscript<T>(dynamicMember path: KeyPath<RunSettings, T>) -> T { settings[keyPath: path] }

    private enum CodingKeys: String, CodingKey {
        case loss, qdrop, roundWeight, calibSize, fpTop1, fpTop5, quantTop1, quantTop5, kl, evaluationImages, units, bits, wallSeconds
    }

    public init(settings: RunSettings, loss: Hyperparameters.Loss, qdrop: Double, roundWeight: Double, calibSize: Int,
                fpTop1: Double?, fpTop5: Double?, quantTop1: Double?, quantTop5: Double?, kl: Double?, evaluationImages: Int,
                units: [UnitLoss], bits: [String: LayerBits], wallSeconds: Double) {
        self.settings = settings; self.loss = loss; self.qdrop = qdrop; self.roundWeight = roundWeight; self.calibSize = calibSize
        self.fpTop1 = fpTop1; self.fpTop5 = fpTop5; self.quantTop1 = quantTop1; self.quantTop5 = quantTop5; self.kl = kl
        self.evaluationImages = evaluationImages; self.units = units; self.bits = bits; self.wallSeconds = wallSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        settings = try RunSettings(from: decoder)
        loss = try c.decode(Hyperparameters.Loss.self, forKey: .loss)
        qdrop = try c.decode(Double.self, forKey: .qdrop)
        roundWeight = try c.decode(Double.self, forKey: .roundWeight)
        calibSize = try c.decode(Int.self, forKey: .calibSize)
        fpTop1 = try c.decodeIfPresent(Double.self, forKey: .fpTop1)
        fpTop5 = try c.decodeIfPresent(Double.self, forKey: .fpTop5)
        quantTop1 = try c.decodeIfPresent(Double.self, forKey: .quantTop1)
        quantTop5 = try c.decodeIfPresent(Double.self, forKey: .quantTop5)
        kl = try c.decodeIfPresent(Double.self, forKey: .kl)
        evaluationImages = try c.decode(Int.self, forKey: .evaluationImages)
        units = try c.decode([UnitLoss].self, forKey: .units)
        bits = try c.decode([String: LayerBits].self, forKey: .bits)
        wallSeconds = try c.decode(Double.self, forKey: .wallSeconds)
    }

    public func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(loss, forKey: .loss)
        try c.encode(qdrop, forKey: .qdrop)
        try c.encode(roundWeight, forKey: .roundWeight)
        try c.encode(calibSize, forKey: .calibSize)
        try c.encodeIfPresent(fpTop1, forKey: .fpTop1)
        try c.encodeIfPresent(fpTop5, forKey: .fpTop5)
        try c.encodeIfPresent(quantTop1, forKey: .quantTop1)
        try c.encodeIfPresent(quantTop5, forKey: .quantTop5)
        try c.encodeIfPresent(kl, forKey: .kl)
        try c.encode(evaluationImages, forKey: .evaluationImages)
        try c.encode(units, forKey: .units)
        try c.encode(bits, forKey: .bits)
        try c.encode(wallSeconds, forKey: .wallSeconds)
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), to: path)
    }
}
