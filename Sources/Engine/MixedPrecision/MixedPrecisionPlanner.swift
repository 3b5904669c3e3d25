import Foundation
import Network
import Quantization
import Tensor

/// The mixed-precision pipeline for one model, data set and activation bit
/// width: the sensitivity images, the sensitivities (measured or cached) and
/// the problem under the budget, then the chosen weight bits. `brecq search`,
/// `brecq quantize --mixed` and the session's search on command (the
/// dashboard's `m`) all run it; each front end only says the progress its way
/// (lines on stderr, events).
public struct MixedPrecisionPlanner: Sendable {
    public enum Method: String, Sendable, CaseIterable { case genetic, exhaustive, random }

    /// A failure of the pipeline (images, the exhaustive search's size), as one line.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    public let graph: Graph
    public let config: ModelConfig
    public let data: DatasetSource
    public let activationBits: Int
    public let settings: SearchSettings

    public init(graph: Graph, config: ModelConfig, data: DatasetSource, activationBits: Int, settings: SearchSettings) {
        self.graph = graph
        self.config = config
        self.data = data
        self.activationBits = activationBits
        self.settings = settings
    }

    /// The first `settings.sensitivityImages` training images; their activations
    /// are checked against the buffer limit before any is read, and a split with
    /// fewer images than asked for is refused.
    public func sensitivityImages() throws(Failure) -> LabeledImages {
        let images: LabeledImages
        do {
            try ActivationBufferLimit.check(images: settings.sensitivityImages, of: graph, flag: "--sensitivity-images",
                                            holding: "the sensitivity images' activations")
            images = try data.calibration(count: settings.sensitivityImages, config: config)
        } catch {
            throw Failure(ErrorText.oneLine(error))
        }
        guard images.count + images.skippedFiles.count == settings.sensitivityImages else {
            throw Failure("\(data.directory): only \(images.count) training images, --sensitivity-images asks for \(settings.sensitivityImages)")
        }
        return images
    }

    /// The sensitivities and the problem under the budget; layers in `lockedBits`
    /// keep those bits (checked before the measurement, which can take minutes).
    public func prepare(images: LabeledImages, lockedBits: [String: Int],
                        progress: (SensitivityAnalysis.Progress) -> Void = { _ in }) throws(SearchFailure) -> PreparedSearch {
        do {
            return try PreparedSearch(graph: graph, images: images.images, activationBits: activationBits, settings: settings,
                                      lockedBits: lockedBits, progress: progress)
        } catch let failure as SearchFailure {
            throw failure
        } catch {
            throw SearchFailure(ErrorText.oneLine(error))
        }
    }

    /// The weight bits `method` chooses per searchable layer (`prepared.space.layers`
    /// order), and the seed that drew them (nil for the exhaustive search).
    public func choose(_ method: Method, prepared: PreparedSearch, seed: UInt64,
                       onGeneration: (GeneticSearch.Generation) -> Void = { _ in }) throws(Failure) -> (bits: [Int], seed: UInt64?) {
        switch method {
        case .random:
            var random = Xoshiro256StarStar(seed: seed)
            return (prepared.problem.bits(RandomConfiguration.drawUsingBudget(prepared.problem, random: &random)), seed)
        case .exhaustive:
            guard let v = ExhaustiveSearch.optimum(prepared.problem) else {
                throw Failure("--exhaustive: \(settings.candidateBits.count)^\(prepared.problem.free.count) configurations are too many to enumerate")
            }
            return (prepared.problem.bits(v), nil)
        case .genetic:
            let search = GeneticSearch(configuration: settings.genetic(seed: seed), problem: prepared.problem)
            return (search.run(onGeneration: onGeneration).bits, seed)
        }
    }

    /// Every conv/linear layer with its weight bits and the bits of its input
    /// activations as a run at `activationBits` places them (32: input not quantized).
    public func bitsFile(space: SearchSpace, bits: [Int], info: BitsConfiguration.SearchInfo) throws -> BitsConfiguration {
        var weightBits = space.fixedLayers
        for (name, b) in zip(space.layers, bits) { weightBits[name] = b }
        let placement = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(activationBits: activationBits))
        var layers: [String: LayerBits] = [:]
        for (name, w) in weightBits { layers[name] = try LayerBits(wbits: w, abits: placement.inputActivationBits(ofLayer: name)) }
        return BitsConfiguration(layers: layers, search: info)
    }
}
