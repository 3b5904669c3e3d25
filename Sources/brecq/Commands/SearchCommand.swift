import ArgumentParser
import Foundation
import Network
import Quantization
import Tensor

extension HardwareMeasure: ExpressibleByArgument {}

/// `brecq search`: measure the sensitivities, search per-layer weight bits under
/// a hardware budget, write them as a bits file for `brecq quantize --bits-config`.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Mixed-precision search: per-layer weight bits {2,4,8} under a size, BOPs or latency budget.",
        discussion: """
        Sensitivities (Fisher-weighted block-output errors of every layer alone and every pair inside a block, \
        round-to-nearest) are measured once per model, data and settings and cached. A genetic search then \
        minimises their sum under the budget. Stem and classifier stay at 8 bits. Progress goes to stderr. \
        See docs/mixed-precision.md.
        """)

    @OptionGroup var model: ModelOptions

    @Option(help: "Activation bits of the run the bits are for (2–8, or 32 for FP activations).")
    var abits: Int = 4

    @Option(help: "Seed of the genetic search (and of --random).")
    var seed: UInt64 = 0

    @OptionGroup var search: SearchOptions

    @Option(help: "Where to write {\"layers\": {name: {\"wbits\", \"abits\"}}, \"search\": {…}}.")
    var output: String

    @Flag(help: "Write a random feasible configuration instead of searching (the baseline of docs/mixed-results.md).")
    var random = false

    @Flag(help: "Enumerate every configuration instead of the genetic search (small models only).")
    var exhaustive = false

    func validate() throws {
        guard (2...8).contains(abits) || abits == 32 else { throw ValidationError("--abits must be in 2…8 or 32 (got \(abits))") }
        if random && exhaustive { throw ValidationError("--random and --exhaustive exclude each other") }
        guard search.budget != nil else { throw ValidationError("--budget is required, e.g. --budget avgbits=3 or --budget size=0.75x4bit") }
        try search.check()
        let dir = URL(fileURLWithPath: output).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: dir) else { throw ValidationError("--output \(output): directory \(dir) is not writable") }
    }

    func run() throws {
        let loaded = try model.loadModel()
        let method: MixedPrecisionPlanner.Method = random ? .random : exhaustive ? .exhaustive : .genetic
        let planner = MixedPrecisionPlanner(graph: loaded.graph, config: loaded.config, data: try model.dataSource(),
                                            activationBits: abits, seed: seed, options: search)
        let bits = try planner.plan(method: method)
        do { try bits.write(to: output) } catch { throw CommandFailure("\(error)") }
        MixedPrecisionPlanner.log("wrote \(output)")
    }
}

/// Flags of the search, shared by `brecq search` and `brecq quantize --mixed`.
struct SearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hardware budget: size=0.75x4bit | size=BITS | bops=1.2e9 | latency=350 (µs) | avgbits=3.",
                               discussion: "NxXbit or Nx is relative to every searchable layer at 4 bits; a bare number uses --measure."))
    var budget: String?

    @Option(help: "Measure of a budget given as a bare number: size | bops | latency.")
    var measure: HardwareMeasure?

    @Option(name: .customLong("latency-table"), help: "JSON lookup table of µs per layer and weight bits (see docs/mixed-precision.md).")
    var latencyTable: String?

    @Option(name: .customLong("sensitivity-images"), help: "Calibration images (the first N of the train split) for the sensitivities.")
    var sensitivityImages: Int = 256

    @Option(name: .customLong("sensitivity-weighting"), help: "fisher (BRECQ) | mse (unweighted block-output error).")
    var sensitivityWeighting: SensitivityAnalysis.Weighting = .fisher

    @Option(name: .customLong("candidate-bits"), help: "Weight bit widths to choose from, comma-separated.")
    var candidateBits: String = "2,4,8"

    @Option(help: "Individuals per generation.")
    var population: Int = 50

    @Option(help: "Generations of the genetic search.")
    var generations: Int = 100

    @Option(help: "Probability that a child's layer mutates to another bit width.")
    var mutation: Double = 0.1

    @Option(help: "How many of the fittest individuals are crossed to make children.")
    var parents: Int = 10

    @Option(help: "How many of the fittest individuals survive each generation unchanged.")
    var elites: Int = 5

    @Option(parsing: .singleValue, help: "Keep a layer's weight bits, e.g. --lock /layers/layers.0/conv1/Conv=8 (repeatable).")
    var lock: [String] = []

    @Option(name: .customLong("sensitivity-cache"), help: "Directory of cached sensitivity tables (default ~/.cache/brecq/sensitivity).")
    var sensitivityCache: String?

    @Flag(name: .customLong("no-sensitivity-cache"), help: "Measure the sensitivities again and do not store them.")
    var noSensitivityCache = false

    func check() throws {
        if let e = geneticConfiguration(seed: 0).validationError() { throw ValidationError(e) }
        if sensitivityImages < 1 { throw ValidationError("--sensitivity-images must be ≥ 1 (got \(sensitivityImages))") }
        _ = try bits()
        _ = try locks()
        if let budget { _ = try parsedBudget(budget) }
    }

    func bits() throws -> [Int] {
        let values = candidateBits.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { throw ValidationError("--candidate-bits: expected e.g. 2,4,8") }
        let bits = values.map { $0! }
        if let e = SensitivityAnalysis.Settings(candidateBits: bits).validationError() { throw ValidationError("--candidate-bits: \(e)") }
        return bits
    }

    func locks() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for item in lock {
            guard let eq = item.lastIndex(of: "="), let bits = Int(item[item.index(after: eq)...]), !item[..<eq].isEmpty else {
                throw ValidationError("--lock \(item): expected LAYER=BITS")
            }
            out[String(item[..<eq])] = bits
        }
        return out
    }

    func parsedBudget(_ text: String) throws -> Budget {
        let full = text.contains("=") ? text : "\((measure ?? .size).rawValue)=\(text)"
        let parsed: Budget
        do { parsed = try Budget(parsing: full) } catch { throw ValidationError("--budget: \(error)") }
        if let measure, parsed.measure != measure {
            throw ValidationError("--budget \(text) is a \(parsed.measure.rawValue) budget, but --measure says \(measure.rawValue)")
        }
        if parsed.measure == .latency && latencyTable == nil { throw ValidationError("a latency budget needs --latency-table FILE") }
        return parsed
    }

    func geneticConfiguration(seed: UInt64) -> GeneticSearch.Configuration {
        GeneticSearch.Configuration(population: population, generations: generations, mutationProbability: mutation,
                                    parents: parents, elites: elites, seed: seed)
    }
}

/// Sensitivity + search for one model, data set and activation bit width,
/// with progress on stderr; the result is a bits file.
struct MixedPrecisionPlanner {
    enum Method: String { case genetic, exhaustive, random }

    let graph: Graph
    let config: ModelConfig
    let data: DatasetSource
    let activationBits: Int
    let seed: UInt64
    let options: SearchOptions

    init(graph: Graph, config: ModelConfig, data: DatasetSource, activationBits: Int, seed: UInt64, options: SearchOptions) {
        self.graph = graph; self.config = config; self.data = data
        self.activationBits = activationBits; self.seed = seed; self.options = options
    }

    /// Loads the model (with its config's input shape) and the data source.
    init(modelPath: String, data: String, activationBits: Int, seed: UInt64, options: SearchOptions) throws {
        do {
            let config = try ModelConfig.load(path: ModelConfig.path(forModel: modelPath))
            let graph = try Graph.importONNX(path: modelPath, options: ONNXImportOptions(inputSampleShape: config.inputShape))
            self.init(graph: graph, config: config, data: try DatasetSource(argument: data), activationBits: activationBits,
                      seed: seed, options: options)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    static func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    func plan(method: Method) throws -> BitsConfiguration {
        guard let budgetText = options.budget else { throw CommandFailure("--budget is required") }
        let budget = try options.parsedBudget(budgetText)
        let candidateBits = try options.bits()
        // Locks are checked before the (possibly long) measurement.
        let space = SearchSpace(graph: graph)
        for (name, bits) in try options.locks().sorted(by: { $0.key < $1.key }) {
            if let fixed = space.fixedLayers[name] { throw CommandFailure("--lock \(name): not searched (stem or classifier); it stays at \(fixed) bits") }
            if space.index(of: name) == nil { throw CommandFailure("--lock \(name): no searchable layer of that name (brecq inspect lists them)") }
            if !candidateBits.contains(bits) { throw CommandFailure("--lock \(name)=\(bits): not a candidate bit width \(candidateBits)") }
        }
        let table = try sensitivities(candidateBits: candidateBits)
        let cost = try hardwareCost(budget.measure, space: table.space, candidateBits: candidateBits)
        let limit: Double
        do { limit = try budget.limit(cost: cost) } catch { throw CommandFailure("\(error)") }
        let problem: SearchProblem
        do { problem = try SearchProblem(table: table, cost: cost, limit: limit, lockedBits: try options.locks()) } catch {
            throw CommandFailure("\(error)")
        }
        let unit = budget.measure.unit
        let uniform4 = cost.uniformCost(bits: 4)
        Self.log(String(format: "search: %d searchable layers, %@ budget %.6g %@", table.space.count, budget.description, limit, unit)
                 + (uniform4.map { String(format: " (uniform W4: %.6g, %.3fx)", $0, limit / $0) } ?? ""))

        let chosen: [Int]
        let seedUsed: UInt64?
        switch method {
        case .random:
            var random = Xoshiro256StarStar(seed: seed)
            chosen = problem.bits(RandomConfiguration.draw(problem, random: &random))
            seedUsed = seed
        case .exhaustive:
            guard let v = ExhaustiveSearch.optimum(problem) else {
                throw CommandFailure("--exhaustive: \(candidateBits.count)^\(problem.free.count) configurations are too many to enumerate")
            }
            chosen = problem.bits(v)
            seedUsed = nil
        case .genetic:
            let search = GeneticSearch(configuration: options.geneticConfiguration(seed: seed), problem: problem)
            let result = search.run { g in
                Self.log(String(format: "gen %d/%d  best %.6g  mean %.6g  feasible %d/%d  cost %.6g/%.6g %@",
                                g.generation, g.generations, g.bestObjective, g.meanObjective, g.feasibleChildren,
                                g.population, g.bestCost, limit, unit))
            }
            chosen = result.bits
            seedUsed = seed
        }
        let indices = table.bitIndices(of: chosen)!
        let sizeCost = HardwareCost.size(graph: graph, space: table.space, candidateBits: candidateBits)
        let weights = sizeCost.perLayer.map { $0[0] / Double(candidateBits[0]) }
        let averageBits = zip(weights, chosen).map { $0 * Double($1) }.reduce(0, +) / max(1, weights.reduce(0, +))
        let info = BitsConfiguration.SearchInfo(
            method: method.rawValue, measure: budget.measure, budget: budget.description, limit: limit,
            cost: problem.hardwareCost(indices), uniform4Cost: uniform4, objective: problem.objective(indices),
            averageBits: averageBits, seed: seedUsed, sensitivity: table.fingerprint)
        Self.log(String(format: "chosen (%@): objective %.6g, cost %.6g/%.6g %@, average weight bits %.3f", method.rawValue,
                        info.objective, info.cost, limit, unit, averageBits))
        let counts = Dictionary(grouping: chosen, by: { $0 }).mapValues(\.count)
        Self.log("  " + counts.keys.sorted().map { "\(counts[$0]!)×W\($0)" }.joined(separator: "  "))
        return bitsFile(space: table.space, bits: chosen, info: info)
    }

    /// Every conv/linear layer with its weight bits and the bits of its input
    /// activations as a run at `activationBits` places them (32: input not quantized).
    private func bitsFile(space: SearchSpace, bits: [Int], info: BitsConfiguration.SearchInfo) -> BitsConfiguration {
        var weightBits = space.fixedLayers
        for (name, b) in zip(space.layers, bits) { weightBits[name] = b }
        let placement = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(activationBits: activationBits))
        var layers: [String: BitsConfiguration.LayerBits] = [:]
        for (name, w) in weightBits { layers[name] = .init(wbits: w, abits: placement.inputActivationBits(ofLayer: name)) }
        return BitsConfiguration(layers: layers, search: info)
    }

    private func sensitivities(candidateBits: [Int]) throws -> SensitivityTable {
        let images: LabeledImages
        do { images = try data.calibration(count: options.sensitivityImages, config: config) } catch { throw CommandFailure("\(error)") }
        guard images.count == options.sensitivityImages else {
            throw CommandFailure("\(data.directory): only \(images.count) training images, --sensitivity-images asks for \(options.sensitivityImages)")
        }
        let settings = SensitivityAnalysis.Settings(candidateBits: candidateBits, activationBits: activationBits,
                                                    weighting: options.sensitivityWeighting)
        let cache = options.noSensitivityCache ? nil : SensitivityCache(directory: options.sensitivityCache ?? SensitivityCache.defaultDirectory)
        let start = Date()
        var lastLine = Date.distantPast
        let (table, cached): (SensitivityTable, Bool)
        do {
            (table, cached) = try SensitivityAnalysis.measure(graph: graph, images: images.images, settings: settings, cache: cache) { p in
                if Date().timeIntervalSince(lastLine) >= 2 || p.done == p.total {
                    lastLine = Date()
                    Self.log("sensitivity: \(p.unit) \(p.done)/\(p.total) (\(Int(Date().timeIntervalSince(start)))s)")
                }
            }
        } catch {
            throw CommandFailure("sensitivity cache: \(error)")
        }
        if cached, let cache {
            Self.log("sensitivity: cached \(cache.path(fingerprint: table.fingerprint))")
        } else {
            Self.log(String(format: "sensitivity: measured on %d images in %.1fs%@", images.count, Date().timeIntervalSince(start),
                            cache.map { ", stored in \($0.path(fingerprint: table.fingerprint))" } ?? ""))
        }
        return table
    }

    private func hardwareCost(_ measure: HardwareMeasure, space: SearchSpace, candidateBits: [Int]) throws -> HardwareCost {
        switch measure {
        case .size:
            return HardwareCost.size(graph: graph, space: space, candidateBits: candidateBits)
        case .bops:
            return HardwareCost.bops(graph: graph, space: space, candidateBits: candidateBits,
                                     configuration: QuantizationConfiguration(activationBits: activationBits))
        case .latency:
            guard let path = options.latencyTable else { throw CommandFailure("a latency budget needs --latency-table FILE") }
            do {
                return try HardwareCost.latency(table: try LatencyTable.load(path: path), space: space, candidateBits: candidateBits)
            } catch {
                throw CommandFailure("\(path): \(error)")
            }
        }
    }
}

extension SensitivityAnalysis.Weighting: ExpressibleByArgument {}
