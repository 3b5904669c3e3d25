import Foundation
import Network
import Quantization
import Tensor

/// `--bits-config` JSON → `BitsConfiguration.load` → per-layer bits checked
/// against the fixed graph's layers → the initial quantized model with those
/// bits, what `brecq quantize` builds before its first unit.
enum BitsConfigTarget {
    static func run(_ input: Data) throws {
        let path = try FuzzEnvironment.file("bits.json", input)
        let bits = try BitsConfiguration.load(path: path)
        let graph = FixedGraph.graph
        let known = Set(graph.units(for: .layer).flatMap(\.layers))
        guard bits.unknownLayers(in: known).isEmpty else { return }
        var configuration = QuantizationConfiguration(weightBits: 4, activationBits: 4)
        for (layer, b) in bits.layers {
            configuration.layerWeightBits[layer] = b.wbits
            configuration.layerActivationBits[layer] = b.abits
        }
        let model = BuiltinSeeds.calibratedModel(configuration)
        _ = try QDQExporter(graph: graph, model: model).build(modelFileName: "fuzz.onnx")
    }
}

/// `--latency-table` JSON → a latency-budgeted search on the fixed graph
/// (sensitivities from a cache measured once per process) → a few
/// generations of the genetic search and a random draw: `brecq search --budget latency=…`.
enum LatencyTableTarget {
    static func run(_ input: Data) throws {
        let path = try FuzzEnvironment.file("latency.json", input)
        _ = try LatencyTable.load(path: path)
        for budget in ["latency=0.9x4bit", "latency=400"] {
            var settings = SearchFixture.settings(budget: budget)
            settings.latencyTable = path
            try SearchFixture.search(settings)
        }
    }
}

/// A sensitivity cache file → `PreparedSearch` on the fixed graph, which
/// takes the cached table when its fingerprint matches → the search. The
/// fingerprint is set to the fixed graph's, so mutations reach the sizes.
enum SensitivityCacheTarget {
    static func run(_ input: Data) throws {
        let directory = try FuzzEnvironment.emptyDirectory("sensitivity")
        let settings = SearchFixture.settings(budget: "avgbits=3", cacheDirectory: directory.path)
        let cache = SensitivityCache(directory: directory.path)
        try SearchFixture.withFingerprint(input).write(to: URL(fileURLWithPath: cache.path(fingerprint: SearchFixture.fingerprint)))
        // A refused table is measured again (or the refusal thrown): either way the input was not used.
        guard try SearchFixture.search(settings) else { throw FuzzRejection(description: "the cache refused the table") }
    }
}

/// The search set-up the two targets above share.
enum SearchFixture {
    static let activationBits = 4

    static func settings(budget: String, cacheDirectory: String? = nil) -> SearchSettings {
        SearchSettings(budget: budget, candidateBits: [2, 4, 8], sensitivityImages: 8, weighting: .mse, population: 8,
                       generations: 3, mutationProbability: 0.2, parents: 4, elites: 2,
                       cacheDirectory: cacheDirectory ?? measuredCache)
    }

    static let fingerprint: String = {
        SensitivityAnalysis.fingerprint(graph: FixedGraph.graph, images: FixedGraph.images,
                                        settings: settings(budget: "avgbits=3").sensitivity(activationBits: activationBits))
    }()

    /// A cache directory holding the fixed graph's table, measured once per process.
    static let measuredCache: String = {
        let directory = FuzzEnvironment.scratch.appendingPathComponent("measured-sensitivity").path
        var s = settings(budget: "avgbits=3", cacheDirectory: directory)
        s.cacheDirectory = directory
        _ = try? SensitivityAnalysis.measure(graph: FixedGraph.graph, images: FixedGraph.images,
                                             settings: s.sensitivity(activationBits: activationBits),
                                             cache: SensitivityCache(directory: directory))
        return directory
    }()

    /// The cached table's JSON for the fixed graph (a seed for the sensitivity-cache target).
    static func measuredTable() -> Data? {
        _ = measuredCache
        return FileManager.default.contents(atPath: SensitivityCache(directory: measuredCache).path(fingerprint: fingerprint))
    }

    /// `input` with its top-level "fingerprint" set to the fixed graph's, when it is a JSON object.
    static func withFingerprint(_ input: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: input)) as? [String: Any], object["fingerprint"] is String,
              JSONSerialization.isValidJSONObject(object) else { return input }
        object["fingerprint"] = fingerprint
        return (try? JSONSerialization.data(withJSONObject: object)) ?? input
    }

    /// Prepares and runs a small search as `brecq search` does; returns whether the sensitivities came from the cache.
    @discardableResult
    static func search(_ settings: SearchSettings) throws -> Bool {
        let prepared = try PreparedSearch(graph: FixedGraph.graph, images: FixedGraph.images, activationBits: activationBits,
                                          settings: settings, lockedBits: [:])
        let result = GeneticSearch(configuration: settings.genetic(seed: 1), problem: prepared.problem).run()
        _ = prepared.info(bits: result.bits, method: "genetic", seed: 1)
        var random = Xoshiro256StarStar(seed: 1)
        let drawn = prepared.problem.bits(RandomConfiguration.drawUsingBudget(prepared.problem, random: &random))
        _ = prepared.info(bits: drawn, method: "random", seed: 1)
        return prepared.cached
    }
}
