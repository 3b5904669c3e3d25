import Foundation
import Network
import Tensor

/// A search ready to run: sensitivities measured (or loaded from the cache),
/// the hardware cost model, and the budget resolved to a limit.
public struct PreparedSearch: Sendable {
    public let table: SensitivityTable
    /// The table came from the cache instead of being measured.
    public let cached: Bool
    public let budget: Budget
    public let cost: HardwareCost
    public let problem: SearchProblem
    /// The cost with every searchable layer at 4 bits, when 4 is a candidate.
    public let uniform4Cost: Double?
    /// Weights per searchable layer, for average bits.
    private let weightCounts: [Double]

    public var limit: Double { problem.limit }
    public var space: SearchSpace { table.space }

    /// Measures (or loads) the sensitivities of `graph` on `images` and sets up
    /// the problem. Locks are checked before the measurement, which can be long.
    public init(graph: Graph, images: Tensor, activationBits: Int, settings: SearchSettings,
                lockedBits: [String: Int], progress: (SensitivityAnalysis.Progress) -> Void = { _ in }) throws {
        if let e = settings.validationError() { throw SearchFailure(e) }
        let budget = try settings.parsedBudget()
        let space = SearchSpace(graph: graph)
        // Locks and budget need only the cost model, so they are checked before the long measurement.
        let cost = try settings.hardwareCost(budget.measure, graph: graph, space: space, activationBits: activationBits)
        let limit: Double
        do {
            limit = try budget.limit(cost: cost)
            _ = try SearchProblem.resolveLocks(lockedBits, space: space, cost: cost, limit: limit)
        } catch {
            throw SearchFailure("\(error)")
        }
        let cache = settings.cacheDirectory.map { SensitivityCache(directory: $0) }
        do {
            (table, cached) = try SensitivityAnalysis.measure(graph: graph, images: images, settings: settings.sensitivity(activationBits: activationBits),
                                                              cache: cache, progress: progress)
        } catch {
            throw SearchFailure("sensitivity cache: \(error)")
        }
        self.cost = cost
        self.budget = budget
        do { problem = try SearchProblem(table: table, cost: cost, limit: limit, lockedBits: lockedBits) } catch {
            throw SearchFailure("\(error)")
        }
        uniform4Cost = cost.uniformCost(bits: 4)
        let sizes = HardwareCost.size(graph: graph, space: table.space, candidateBits: settings.candidateBits)
        weightCounts = sizes.perLayer.map { $0[0] / Double(settings.candidateBits[0]) }
    }

    /// Mean weight bits over the searchable layers, weighted by their weight counts.
    public func averageBits(_ bits: [Int]) -> Double {
        zip(weightCounts, bits).map { $0 * Double($1) }.reduce(0, +) / max(1, weightCounts.reduce(0, +))
    }

    /// What a bits file records about the search that chose `bits`.
    public func info(bits: [Int], method: String, seed: UInt64?) -> BitsConfiguration.SearchInfo {
        let indices = table.bitIndices(of: bits)!
        return BitsConfiguration.SearchInfo(
            method: method, measure: budget.measure, budget: budget.description, limit: limit,
            cost: problem.hardwareCost(indices), uniform4Cost: uniform4Cost, objective: problem.objective(indices),
            averageBits: averageBits(bits), seed: seed, sensitivity: table.fingerprint)
    }
}
