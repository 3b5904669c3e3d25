import Foundation
import Network
import Quantization
import Tensor

/// Everything that defines a quantization run; the checkpoint stores it so a
/// resumed run is the same run. Flags (headless and dashboard) fill it in.
public struct RunConfiguration: Sendable, Codable, Equatable {
    /// The rungs of the accuracy ladder, as shorthands for granularity and options.
    public enum Method: String, Sendable, Codable, CaseIterable, NamedCase {
        /// Round-to-nearest from the L_p scale search; no reconstruction.
        case rtn
        /// AdaRound, layer by layer.
        case adaround
        /// BRECQ: block reconstruction (Fisher weighting with `--loss fisher`).
        case brecq
        /// BRECQ with QDrop: weights and activation steps learned jointly, activations dropped at random.
        case qdrop

        public init(from decoder: any Decoder) throws { self = try Self.decodeNamed(from: decoder) }
    }

    public var modelPath: String
    /// `fashion-mnist` or a directory with IDX or NPY files or an image folder.
    public var data: String
    /// Image folders: leave out files that cannot be decoded (`--skip-bad-images`).
    /// Optional so that checkpoints written before the flag existed still decode (nil: off).
    public var skipBadImages: Bool?
    public var method: Method = .brecq
    public var wbits: Int = 4
    /// 32 means activations stay in floating point.
    public var abits: Int = 32
    public var granularity: Granularity = .block
    public var iterations: Int = 20_000
    public var activationIterations: Int = 5_000
    public var calibrationSize: Int = 1024
    public var evaluationImages: Int = 10_000
    /// How the calibration set's activations are stored (`--cache-precision`);
    /// nil: `auto` (and checkpoints written before the flag existed decode).
    public var cachePrecision: CachePrecision?
    /// Test images the per-layer analysis runs on after each unit (0: none;
    /// nil in older checkpoints: the default).
    public var analysisImages: Int?
    public static let defaultAnalysisImages = 64
    public var seed: UInt64 = 0
    public var hyperparameters = Hyperparameters()
    /// λ chosen from the model: 0.1 for nets with depthwise convs, else 0.01 (the reference's values).
    public var automaticRoundWeight = true
    /// Per-layer weight and activation bits that differ from `wbits`/`abits`.
    /// Which layers the user locked is the checkpoint's `lockedLayers`; older
    /// checkpoints also wrote a `locked` flag here, which is ignored.
    public var layerBits: [String: LayerBits] = [:]
    /// The mixed-precision search a running session starts on command.
    public var search = SearchSettings()
    /// Emit an iteration event every this many iterations.
    public var statsInterval: Int = 10
    /// Emit a rounding event (flips, h(α) histogram) every this many iterations;
    /// nil: `defaultRoundingInterval`. Optional so older checkpoints decode.
    public var roundingInterval: Int?

    /// Iterations per unit a run may ask for, by flag or from the dashboard; far below
    /// what a recording's `iterations` fields may hold (`EventFieldLimits.iterations`).
    public static let iterationRange = 1...1_000_000

    public init(modelPath: String, data: String) {
        self.modelPath = modelPath
        self.data = data
    }

    /// Applies a method's defaults for granularity and QDrop; explicit flags may override afterwards.
    public mutating func apply(method: Method) {
        self.method = method
        switch method {
        case .rtn: break
        case .adaround: granularity = .layer
        case .brecq: granularity = .block
        case .qdrop:
            granularity = .block
            if hyperparameters.qdrop == 0 { hyperparameters.qdrop = 0.5 }
        }
    }

    /// A message naming the offending setting, or nil when the configuration can run.
    public func validationError() -> String? {
        if let problem = BitWidth.problem(wbits, for: .weights) { return "--wbits \(problem)" }
        if let problem = BitWidth.problem(abits, for: .activations) { return "--abits \(problem)" }
        if !Self.iterationRange.contains(iterations) {
            return "--iters must be in \(Self.iterationRange.lowerBound)…\(Self.iterationRange.upperBound) (got \(iterations))"
        }
        if activationIterations < 0 { return "--act-iters must be ≥ 0 (got \(activationIterations))" }
        if calibrationSize < 1 { return "--calib-size must be ≥ 1 (got \(calibrationSize))" }
        if evaluationImages < 1 { return "--eval-images must be ≥ 1 (got \(evaluationImages))" }
        if let a = analysisImages, a < 0 { return "--analysis-images must be ≥ 0 (got \(a))" }
        if statsInterval < 1 { return "stats interval must be ≥ 1 (got \(statsInterval))" }
        if let r = roundingInterval, r < 1 { return "--rounding-interval must be ≥ 1 (got \(r))" }
        if let e = hyperparameters.validationError() { return e }
        if let e = search.validationError() { return "search: \(e)" }
        if hyperparameters.batchSize > calibrationSize {
            return "--batch-size \(hyperparameters.batchSize) exceeds --calib-size \(calibrationSize)"
        }
        return nil
    }

    /// A directory name that tells runs apart: model, method, bits, granularity,
    /// seed, and a fingerprint of per-layer bits so a mixed-precision run never
    /// resumes a uniform one's checkpoint.
    public var checkpointName: String {
        let model = URL(fileURLWithPath: modelPath).deletingLastPathComponent().lastPathComponent
        var name = "\(model)-\(method.rawValue)-W\(wbits)A\(abits)-\(granularity.rawValue)-seed\(seed)"
        if !layerBits.isEmpty {
            var f = Fingerprint()
            for (layer, bits) in layerBits.sorted(by: { $0.key < $1.key }) {
                f.add(bytes: Array("\(layer)=\(bits.wbits)/\(bits.abits);".utf8))
            }
            name += "-mixed\(f.hex)"
        }
        return name
    }
}
