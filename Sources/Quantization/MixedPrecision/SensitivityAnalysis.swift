import Foundation
import Network
import Tensor

/// Measures a `SensitivityTable`: per-layer and intra-block pairwise errors of
/// each unit's output when its layers' weights are rounded to nearest on
/// their L_p grids at each candidate bit width.
///
/// How (and why):
/// - Each unit sees its *FP* input (the output of the FP network before it):
///   blocks are treated as independent, as in BRECQ's mixed-precision
///   objective, so one unit's choice does not shift another's measurement.
/// - Weights: round-to-nearest from the L_p initialisation (no AdaRound — the
///   search ranks configurations before any reconstruction); layers not named
///   stay FP.
/// - Activations: the unit's own activation quantizers run at the run's
///   activation bits, calibrated on the unit's FP inputs with its layers at
///   4-bit round-to-nearest (what a W4 run would calibrate with).
/// - Weighting (`.fisher`): the Fisher information of the network's output
///   distribution pulled back to the unit's output (`OutputFisher`), so each
///   error is the second-order estimate of the KL to the FP prediction that the
///   perturbation causes — comparable across blocks, and the quantity the
///   analyser's isolated sensitivity measures exactly. Taken at the FP point
///   (FP unit and rest), where it is exact to second order. `.mse` (the
///   unweighted block-output error) is kept for ablations and for tests.
public enum SensitivityAnalysis {
    public enum Weighting: String, Sendable, Codable, Equatable, CaseIterable { case fisher, mse }

    public struct Settings: Sendable, Codable, Equatable {
        public var candidateBits: [Int]
        /// The run's activation bits (32: activations FP).
        public var activationBits: Int
        /// Bits of the stem and classifier, which are not searched.
        public var firstLastBits: Int
        public var weighting: Weighting
        /// Images for the activation ranges (as `QuantizationConfiguration`).
        public var activationCalibrationImages: Int

        public init(candidateBits: [Int] = [2, 4, 8], activationBits: Int = 4, firstLastBits: Int = 8,
                    weighting: Weighting = .fisher, activationCalibrationImages: Int = 64) {
            self.candidateBits = candidateBits
            self.activationBits = activationBits
            self.firstLastBits = firstLastBits
            self.weighting = weighting
            self.activationCalibrationImages = activationCalibrationImages
        }

        public func validationError() -> String? {
            if candidateBits.isEmpty { return "no candidate bit widths" }
            if Set(candidateBits).count != candidateBits.count { return "candidate bit widths repeat: \(candidateBits)" }
            for b in candidateBits { if let p = BitWidth.problem(b, for: .weights) { return "candidate bits \(p)" } }
            if let p = BitWidth.problem(activationBits, for: .activations) { return "activation bits \(p)" }
            if let p = BitWidth.problem(firstLastBits, for: .weights) { return "first/last layer bits \(p)" }
            return nil
        }
    }

    public struct Progress: Sendable, Equatable {
        /// The unit being measured.
        public var unit: String
        /// Error evaluations done and in total (one per single, pair and baseline).
        public var done: Int
        public var total: Int
    }

    /// Error evaluations a measurement makes (what `Progress.total` counts): per
    /// unit one baseline, each layer at each candidate, each intra-unit pair at
    /// each two candidates. Known before measuring, so a front end can show the total at once.
    public static func evaluationCount(space: SearchSpace, candidateBits: [Int]) -> Int {
        let b = candidateBits.count
        return space.layersByUnit.reduce(0) { $0 + 1 + $1.count * b + $1.count * ($1.count - 1) / 2 * b * b }
    }

    /// `evaluationCount` for `graph` under `settings` (its first/last bits decide what is searched).
    public static func evaluationCount(graph: Graph, settings: Settings) -> Int {
        evaluationCount(space: SearchSpace(graph: graph, firstLastBits: settings.firstLastBits), candidateBits: settings.candidateBits)
    }

    /// What identifies a table: the model's weights, the images and the settings.
    public static func fingerprint(graph: Graph, images: Tensor, settings: Settings) -> String {
        var hash = ContentHash()
        hash.add("sensitivity-v2")   // v2: output-Fisher errors (v1 was the damped diagonal)
        hash.add(graph: graph)
        hash.add("\(images.shape)")
        hash.add(floats: images.data)
        let encoded = (try? JSONEncoder.sorted.encode(settings)) ?? Data()
        hash.add(bytes: encoded)
        return hash.hex
    }

    /// The table from `cache` when one was stored for the same fingerprint (and is
    /// a table of this graph and settings), else measured (and stored).
    public static func measure(graph: Graph, images: Tensor, settings: Settings, cache: SensitivityCache?,
                               progress: (Progress) -> Void = { _ in }) throws -> (table: SensitivityTable, cached: Bool) {
        let key = fingerprint(graph: graph, images: images, settings: settings)
        if let cache, let table = try cache.load(fingerprint: key, space: SearchSpace(graph: graph, firstLastBits: settings.firstLastBits),
                                                 settings: settings, images: images.shape[0]) {
            return (table, true)
        }
        let table = measure(graph: graph, images: images, settings: settings, fingerprint: key, progress: progress)
        try cache?.store(table)
        return (table, false)
    }

    /// Measures every unit's baseline, single and pair errors on `images` `[N, C, H, W]`.
    public static func measure(graph: Graph, images: Tensor, settings: Settings, fingerprint: String? = nil,
                               progress: (Progress) -> Void = { _ in }) -> SensitivityTable {
        precondition(settings.validationError() == nil, settings.validationError() ?? "")
        let space = SearchSpace(graph: graph, firstLastBits: settings.firstLastBits)
        let bits = settings.candidateBits
        let configuration = QuantizationConfiguration(weightBits: 4, activationBits: settings.activationBits,
                                                      firstLastBits: settings.firstLastBits,
                                                      activationCalibrationImages: settings.activationCalibrationImages)
        let session = QuantizationSession(graph: graph, calibration: images, configuration: configuration)
        let groups = space.layersByUnit
        let unitIndex = Dictionary(uniqueKeysWithValues: space.units.enumerated().map { ($1, $0) })
        let total = evaluationCount(space: space, candidateBits: bits)
        var done = 0

        var baseline = [Double](repeating: 0, count: space.units.count)
        var single = [[Double]](repeating: [Double](repeating: 0, count: bits.count), count: space.count)
        var pairs: [SensitivityTable.PairErrors] = []
        var fpStream = images
        for block in session.blocks {
            let range = block.nodeRange!
            let fpTargets = QuantizationSession.run(session.makeExecutor(nodes: range, input: block.input, quantized: false),
                                                    on: fpStream, chunk: session.chunk)
            defer { fpStream = fpTargets }   // a block's output is the next block's input
            guard let u = unitIndex[block.name] else { continue }
            let layers = groups[u]
            if settings.activationBits < 32 {
                session.calibrateActivations(nodes: range, input: block.input, inputs: ActivationCache(fpStream, precision: .fp32),
                                             onlyMissing: false)   // the cache shares fpStream's storage
            }
            let fisher = settings.weighting == .fisher
                ? OutputFisher(graph: graph, rest: range.upperBound..<graph.nodes.count, fpOutputs: fpTargets)
                : nil
            let measurer = UnitErrorMeasurer(session: session, range: range, input: block.input, inputs: fpStream,
                                             targets: fpTargets, fisher: fisher, layers: layers.map { space.layers[$0] })
            let rounded: [[Tensor]] = layers.map { i in
                let node = graph.node(named: space.layers[i])!
                let weight = QuantizedModel.weight(of: node)
                return bits.map { QuantizedModel.roundToNearest(layer: node.name, weight: weight, bits: $0).dequantized(shape: weight.shape) }
            }
            func step() {
                done += 1
                progress(Progress(unit: block.name, done: done, total: total))
            }
            baseline[u] = measurer.error(replacing: [:])
            step()
            for (m, i) in layers.enumerated() {
                for a in bits.indices {
                    single[i][a] = measurer.error(replacing: [m: rounded[m][a]])
                    step()
                }
            }
            for m in layers.indices {
                for n in (m + 1)..<layers.count {
                    var joint = [[Double]](repeating: [Double](repeating: 0, count: bits.count), count: bits.count)
                    for a in bits.indices {
                        for b in bits.indices {
                            joint[a][b] = measurer.error(replacing: [m: rounded[m][a], n: rounded[n][b]])
                            step()
                        }
                    }
                    pairs.append(.init(first: layers[m], second: layers[n], joint: joint))
                }
            }
        }
        return SensitivityTable(space: space, candidateBits: bits, activationBits: settings.activationBits,
                                images: images.shape[0], baseline: baseline, single: single, pairs: pairs,
                                fingerprint: fingerprint ?? Self.fingerprint(graph: graph, images: images, settings: settings))
    }
}

extension JSONEncoder {
    /// Sorted keys: the same value always encodes to the same bytes (hashing, diffs).
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
