import ArgumentParser
import Engine
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

    @Option(parsing: .unconditional, help: "Activation bits of the run the bits are for (2–8, or 32 for FP activations).")
    var abits: Int = 4

    @Option(parsing: .unconditional, help: "Seed of the genetic search (and of --random), 0–18446744073709551615.")
    var seed: UInt64 = 0

    @OptionGroup var search: SearchOptions

    @Option(help: "Where to write {\"layers\": {name: {\"wbits\", \"abits\"}}, \"search\": {…}}.")
    var output: String

    @Flag(help: "Write a random feasible configuration instead of searching (the baseline of docs/mixed-results.md).")
    var random = false

    @Flag(help: "Enumerate every configuration instead of the genetic search (small models only).")
    var exhaustive = false

    func validate() throws {
        if let problem = BitWidth.problem(abits, for: .activations) { throw ValidationError("--abits \(problem)") }
        if random && exhaustive { throw ValidationError("--random and --exhaustive exclude each other") }
        try search.check()
        try InputPath.checkModel(model.model)
        try InputPath.checkData(model.data)
        try OutputTarget.check(output, flag: "--output", .replacedFile)
        try OutputTarget.checkNotAnInput(output, flag: "--output", inputs: [("--model", model.model), ("--latency-table", search.latencyTable)])
    }

    func run() throws {
        let loaded = try model.loadModel()
        let method: MixedPrecisionPlanner.Method = random ? .random : exhaustive ? .exhaustive : .genetic
        let planner = MixedPrecisionPlanner(graph: loaded.graph, config: loaded.config, data: try model.dataSource(),
                                            activationBits: abits, settings: try search.settings())
        let bits = try planner.plan(method, seed: seed, options: search)
        do { try bits.write(to: output) } catch { throw CommandFailure(OutputTarget.failure(flag: "--output", path: output, error)) }
        MixedPrecisionPlanner.log("wrote \(output)")
    }
}

/// Flags of the search, shared by `brecq search` and `brecq quantize --mixed`.
struct SearchOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Hardware budget: size=0.75x4bit | size=BITS | bops=1.2e9 | latency=350 (µs) | avgbits=3.",
                               discussion: "NxXbit or Nx is relative to every searchable layer at 4 bits (at most 1000x); a bare number uses --measure; absolute budgets are at most 1e18."))
    var budget: String?

    @Option(help: "Measure of a budget given as a bare number: size | bops | latency.")
    var measure: HardwareMeasure?

    @Option(name: .customLong("latency-table"), help: "JSON lookup table of µs per layer and weight bits (see docs/mixed-precision.md).")
    var latencyTable: String?

    @Option(name: .customLong("sensitivity-images"), parsing: .unconditional,
            help: "Calibration images (the first N of the train split) for the sensitivities (1–1000000).")
    var sensitivityImages: Int = 256

    @Option(name: .customLong("sensitivity-weighting"), help: "fisher (the output Fisher: estimated KL at the network's output) | mse (unweighted block-output error).")
    var sensitivityWeighting: SensitivityAnalysis.Weighting = .fisher

    @Option(name: .customLong("candidate-bits"), help: "Weight bit widths to choose from, comma-separated (each 2–8).")
    var candidateBits: String = "2,4,8"

    @Option(parsing: .unconditional, help: "Individuals per generation (2–100000).")
    var population: Int = 50

    @Option(parsing: .unconditional, help: "Generations of the genetic search (0–100000).")
    var generations: Int = 100

    @Option(parsing: .unconditional, help: "Probability that a child's layer mutates to another bit width (0–1).")
    var mutation: Double = 0.1

    @Option(parsing: .unconditional, help: "How many of the fittest individuals are crossed to make children (1–population).")
    var parents: Int = 10

    @Option(parsing: .unconditional, help: "How many of the fittest individuals survive each generation unchanged (0–population−1).")
    var elites: Int = 5

    @Option(parsing: .singleValue, help: "Keep a layer's weight bits (2–8), e.g. --lock /layers/layers.0/conv1/Conv=8 (repeatable).")
    var lock: [String] = []

    @Option(name: .customLong("sensitivity-cache"), help: "Directory of cached sensitivity tables (default ~/.cache/brecq/sensitivity).")
    var sensitivityCache: String?

    @Flag(name: .customLong("no-sensitivity-cache"), help: "Measure the sensitivities again and do not store them.")
    var noSensitivityCache = false

    func check() throws { _ = try settings() }

    /// Ranges of the numeric flags, in the words of every other numeric flag.
    func checkRanges() throws {
        try FlagRange.check(sensitivityImages, "--sensitivity-images", FlagLimits.sensitivityImages)
        try FlagRange.check(population, "--population", FlagLimits.population)
        try FlagRange.check(generations, "--generations", FlagLimits.generations)
        try FlagRange.check(mutation, "--mutation", FlagLimits.probability)
        try FlagRange.check(parents, "--parents", 1...population)
        try FlagRange.check(elites, "--elites", 0...(population - 1))
        if let latencyTable {
            // Read now, not after minutes of sensitivity measurement.
            do { _ = try LatencyTable.load(path: latencyTable) } catch { throw ValidationError("--latency-table \(error)") }
        }
    }

    /// The flags as the search's settings; `--measure` turns a bare budget number into MEASURE=NUMBER.
    func settings(defaultBudget: String? = nil) throws -> SearchSettings {
        try checkRanges()
        guard let budget = budget ?? defaultBudget else {
            throw ValidationError("--budget is required, e.g. --budget avgbits=3 or --budget size=0.75x4bit")
        }
        let values = candidateBits.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { throw ValidationError("--candidate-bits: expected e.g. 2,4,8") }
        for bits in values { try FlagRange.check(bits!, "--candidate-bits", BitWidth.range) }
        let full = budget.contains("=") ? budget : "\((measure ?? .size).rawValue)=\(budget)"
        let parsed: Budget
        do { parsed = try Budget(parsing: full) } catch { throw ValidationError("--budget: \(error)") }
        if let measure, parsed.measure != measure {
            throw ValidationError("--budget \(budget) is a \(parsed.measure.rawValue) budget, but --measure says \(measure.rawValue)")
        }
        let settings = SearchSettings(
            budget: full, latencyTable: latencyTable, candidateBits: values.map { $0! }, sensitivityImages: sensitivityImages,
            weighting: sensitivityWeighting, population: population, generations: generations, mutationProbability: mutation,
            parents: parents, elites: elites,
            cacheDirectory: noSensitivityCache ? nil : sensitivityCache ?? SensitivityCache.defaultDirectory)
        if let e = settings.validationError() { throw ValidationError(e) }
        _ = try locks()
        return settings
    }

    func locks() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for item in lock {
            guard let eq = item.lastIndex(of: "="), let bits = Int(item[item.index(after: eq)...]), !item[..<eq].isEmpty else {
                throw ValidationError("--lock \(item): expected LAYER=BITS")
            }
            try FlagRange.check(bits, "--lock \(item[..<eq])", BitWidth.range)
            out[String(item[..<eq])] = bits
        }
        return out
    }
}

/// `brecq search` and `brecq quantize --mixed`: Engine's pipeline, with its progress as lines on stderr.
extension MixedPrecisionPlanner {
    static func log(_ line: String) { Console.error(line) }

    /// Loads the model (with its config's input shape) and the data source from the flags.
    init(modelPath: String, data: String, skipBadImages: Bool, activationBits: Int, options: SearchOptions) throws {
        let loaded = try LoadedModel.loadReporting(path: modelPath)
        var source: DatasetSource
        do { source = try DatasetSource(argument: data, skipBadImages: skipBadImages) } catch { throw CommandFailure("\(error)") }
        source.progress = DecodingProgressBar().callback
        source.cache = ImageTensorFileCache()
        self.init(graph: loaded.graph, config: loaded.config, data: source, activationBits: activationBits,
                  settings: try options.settings())
    }

    /// Sensitivities and search, said as they go; the result is a bits file.
    func plan(_ method: Method, seed: UInt64, options: SearchOptions) throws -> BitsConfiguration {
        let images: LabeledImages
        do { images = try sensitivityImages() } catch { throw CommandFailure(error.description) }
        images.reportSkipped()
        let start = Date()
        var lastLine = Date.distantPast
        let prepared: PreparedSearch
        do {
            prepared = try prepare(images: images, lockedBits: try options.locks()) { p in
                if Date().timeIntervalSince(lastLine) >= 2 || p.done == p.total {
                    lastLine = Date()
                    Self.log("sensitivity: \(p.unit) \(p.done)/\(p.total) (\(Int(Date().timeIntervalSince(start)))s)")
                }
            }
        } catch let e as SearchFailure {
            throw CommandFailure(options.lock.isEmpty ? e.description : "--lock: \(e)")
        }
        let cachePath = settings.cacheDirectory.map { SensitivityCache(directory: $0).path(fingerprint: prepared.table.fingerprint) }
        if prepared.cached, let cachePath {
            Self.log("sensitivity: cached \(cachePath)")
        } else {
            Self.log(String(format: "sensitivity: measured on %d images in %.1fs%@", images.count, Date().timeIntervalSince(start),
                            cachePath.map { ", stored in \($0)" } ?? ""))
        }
        let unit = prepared.budget.measure.unit
        let limit = prepared.limit
        Self.log(String(format: "search: %d searchable layers, %@ budget %.6g %@", prepared.space.count, prepared.budget.description, limit, unit)
                 + (prepared.uniform4Cost.map { String(format: " (uniform W4: %.6g, %.3fx)", $0, limit / $0) } ?? ""))
        let chosen: (bits: [Int], seed: UInt64?)
        do {
            chosen = try choose(method, prepared: prepared, seed: seed) { g in
                Self.log(String(format: "gen %d/%d  best %.6g  mean %.6g  feasible %d/%d  cost %.6g/%.6g %@",
                                g.generation, g.generations, g.bestObjective, g.meanObjective, g.feasibleChildren,
                                g.population, g.bestCost, limit, unit))
            }
        } catch { throw CommandFailure(error.description) }
        let info = prepared.info(bits: chosen.bits, method: method.rawValue, seed: chosen.seed)
        Self.log(String(format: "chosen (%@): objective %.6g, cost %.6g/%.6g %@, average weight bits %.3f", method.rawValue,
                        info.objective, info.cost, limit, unit, info.averageBits))
        let counts = Dictionary(grouping: chosen.bits, by: { $0 }).mapValues(\.count)
        Self.log("  " + counts.keys.sorted().map { "\(counts[$0]!)×W\($0)" }.joined(separator: "  "))
        return try bitsFile(space: prepared.space, bits: chosen.bits, info: info)
    }
}

extension SensitivityAnalysis.Weighting: ExpressibleByArgument {}
