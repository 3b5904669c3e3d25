import Foundation
import Network

/// What a mixed-precision search needs besides the model and the images: the
/// budget, the candidate bits, the sensitivity measurement and the genetic
/// search's parameters. `brecq search`, `brecq quantize --mixed` and a
/// session's search command all fill in one of these.
public struct SearchSettings: Sendable, Codable, Equatable {
    /// As `Budget(parsing:)` reads it, e.g. `avgbits=3` or `size=0.75x4bit`.
    public var budget: String
    /// JSON lookup table for a latency budget.
    public var latencyTable: String?
    public var candidateBits: [Int]
    /// The first N training images measure the sensitivities.
    public var sensitivityImages: Int
    public var weighting: SensitivityAnalysis.Weighting
    public var population: Int
    public var generations: Int
    public var mutationProbability: Double
    public var parents: Int
    public var elites: Int
    /// Where sensitivity tables are cached; nil: measured every time, never stored.
    public var cacheDirectory: String?

    public init(budget: String = "avgbits=3", latencyTable: String? = nil, candidateBits: [Int] = [2, 4, 8],
                sensitivityImages: Int = 256, weighting: SensitivityAnalysis.Weighting = .fisher,
                population: Int = 50, generations: Int = 100, mutationProbability: Double = 0.1,
                parents: Int = 10, elites: Int = 5, cacheDirectory: String? = SensitivityCache.defaultDirectory) {
        self.budget = budget; self.latencyTable = latencyTable; self.candidateBits = candidateBits
        self.sensitivityImages = sensitivityImages; self.weighting = weighting
        self.population = population; self.generations = generations; self.mutationProbability = mutationProbability
        self.parents = parents; self.elites = elites; self.cacheDirectory = cacheDirectory
    }

    public func genetic(seed: UInt64) -> GeneticSearch.Configuration {
        GeneticSearch.Configuration(population: population, generations: generations, mutationProbability: mutationProbability,
                                    parents: parents, elites: elites, seed: seed)
    }

    public func sensitivity(activationBits: Int) -> SensitivityAnalysis.Settings {
        SensitivityAnalysis.Settings(candidateBits: candidateBits, activationBits: activationBits, weighting: weighting)
    }

    /// A message naming the offending setting, or nil when a search can start.
    public func validationError() -> String? {
        if let e = genetic(seed: 0).validationError() { return e }
        if sensitivityImages < 1 { return "sensitivity images must be ≥ 1 (got \(sensitivityImages))" }
        if let e = sensitivity(activationBits: 32).validationError() { return "candidate bits: \(e)" }
        do {
            let b = try parsedBudget()
            if b.measure == .latency && latencyTable == nil { return "a latency budget needs a latency table (--latency-table FILE)" }
        } catch {
            return "\(error)"
        }
        return nil
    }

    public func parsedBudget() throws(Budget.ParseError) -> Budget { try Budget(parsing: budget) }

    /// The hardware cost of every searchable layer at every candidate under the budget's measure.
    public func hardwareCost(_ measure: HardwareMeasure, graph: Graph, space: SearchSpace, activationBits: Int) throws -> HardwareCost {
        switch measure {
        case .size:
            return HardwareCost.size(graph: graph, space: space, candidateBits: candidateBits)
        case .bops:
            return HardwareCost.bops(graph: graph, space: space, candidateBits: candidateBits,
                                     configuration: QuantizationConfiguration(activationBits: activationBits))
        case .latency:
            guard let path = latencyTable else { throw SearchFailure("a latency budget needs a latency table") }
            do {
                return try HardwareCost.latency(table: try LatencyTable.load(path: path), space: space, candidateBits: candidateBits)
            } catch let error as LatencyTable.LoadError {
                throw SearchFailure(error.description)  // names the file already
            } catch {
                throw SearchFailure("\(path): \(error)")
            }
        }
    }
}

/// Why a search could not be set up, in words for the user.
public struct SearchFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
