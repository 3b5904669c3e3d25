import Network
import Tensor
import XCTest
@testable import Quantization

final class MixedPrecisionSearchTests: XCTestCase {
    /// A synthetic problem with 12 searchable layers in 4 blocks of 3: per-layer
    /// error scales and weight counts spread over an order of magnitude, errors
    /// falling ~4× per extra bit, and cross terms of both signs.
    private func syntheticProblem(seed: UInt64, averageBits: Double, locked: [String: Int] = [:]) throws -> SearchProblem {
        var r = FixtureRandom(seed: seed)
        let n = 12, bits = [2, 4, 8]
        let names = (0..<n).map { "layer\($0)" }
        let space = SearchSpace(layers: names, unitOfLayer: (0..<n).map { $0 / 3 }, units: ["b0", "b1", "b2", "b3"],
                                fixedLayers: ["stem": 8, "fc": 8])
        let scale = (0..<n).map { _ in Double(r.uniform(0.2, 3)) }
        let single = scale.map { s in [s, s * Double(r.uniform(0.05, 0.12)), s * Double(r.uniform(0.0005, 0.002))] }
        let baseline = (0..<4).map { _ in Double(r.uniform(0, 0.01)) }
        var pairs: [SensitivityTable.PairErrors] = []
        for u in 0..<4 {
            for i in (3 * u)..<(3 * u + 3) {
                for j in (i + 1)..<(3 * u + 3) {
                    let joint = (0..<3).map { a in
                        (0..<3).map { b in
                            single[i][a] + single[j][b] - baseline[u]
                                + Double(r.uniform(-0.3, 0.5)) * (single[i][a] * single[j][b]).squareRoot()
                        }
                    }
                    pairs.append(.init(first: i, second: j, joint: joint))
                }
            }
        }
        let table = SensitivityTable(space: space, candidateBits: bits, activationBits: 4, images: 0, baseline: baseline,
                                     single: single, pairs: pairs, fingerprint: "synthetic-\(seed)")
        let weights = (0..<n).map { _ in Double(Int(r.uniform(500, 20_000))) }
        let cost = HardwareCost(measure: .size, candidateBits: bits, fixed: 1000, perLayer: weights.map { w in bits.map { w * Double($0) } })
        let limit = try Budget(measure: .size, amount: .averageWeightBits(averageBits)).limit(cost: cost)
        return try SearchProblem(table: table, cost: cost, limit: limit, lockedBits: locked)
    }

    func testGeneticSearchFindsTheExhaustiveOptimumFor19Of20Seeds() throws {
        for (tableSeed, budget) in [(UInt64(11), 2.5), (12, 3), (13, 3.5)] {
            let problem = try syntheticProblem(seed: tableSeed, averageBits: budget)
            let optimum = ExhaustiveSearch.optimum(problem)!
            let best = problem.objective(optimum)
            var hits = 0
            for seed in 0..<20 {
                let result = GeneticSearch(configuration: .init(seed: UInt64(seed)), problem: problem).run()
                XCTAssertLessThanOrEqual(result.cost, problem.limit * (1 + 1e-12))
                XCTAssertGreaterThanOrEqual(result.objective, best - 1e-12, "nothing feasible beats the exhaustive optimum")
                if abs(result.objective - best) <= 1e-12 * max(1, abs(best)) { hits += 1 }
            }
            print("GA vs exhaustive, 12 layers, avgbits \(budget): optimum reached for \(hits)/20 seeds")
            XCTAssertGreaterThanOrEqual(hits, 19, "avgbits \(budget): GA reached the optimum for \(hits)/20 seeds")
            // The budget binds: the optimum is not just "everything at 8 bits".
            XCTAssertTrue(problem.bits(optimum).contains(2), "avgbits \(budget): \(problem.bits(optimum))")
        }
    }

    func testGeneticSearchMatchesExhaustiveOnTheTinyModelsMeasuredTable() throws {
        let graph = TinyNetwork.graph()
        let table = SensitivityAnalysis.measure(graph: graph, images: TinyNetwork.images(48), settings: .init(activationBits: 4))
        let cost = HardwareCost.size(graph: graph, space: table.space, candidateBits: table.candidateBits)
        for budget in ["avgbits=3", "size=0.9x4bit", "avgbits=5"] {
            let problem = try SearchProblem(table: table, cost: cost, limit: try Budget(parsing: budget).limit(cost: cost))
            let best = problem.objective(ExhaustiveSearch.optimum(problem)!)
            var hits = 0
            for seed in 0..<20 {
                let result = GeneticSearch(configuration: .init(population: 20, generations: 30, seed: UInt64(seed)), problem: problem).run()
                if abs(result.objective - best) <= 1e-12 * max(1, abs(best)) { hits += 1 }
            }
            XCTAssertGreaterThanOrEqual(hits, 19, "\(budget): \(hits)/20")
        }
    }

    /// The baseline spends the budget: feasible, and no free layer can go one step up.
    func testBudgetUsingDrawIsMaximalFeasibleAndDeterministic() throws {
        let problem = try syntheticProblem(seed: 5, averageBits: 3, locked: ["layer2": 8])
        let rank = RandomConfiguration.rankOfCandidate(problem)
        var costs: [Double] = []
        for seed in UInt64(1)...20 {
            var random = Xoshiro256StarStar(seed: seed), again = Xoshiro256StarStar(seed: seed)
            let v = RandomConfiguration.drawUsingBudget(problem, random: &random)
            XCTAssertEqual(v, RandomConfiguration.drawUsingBudget(problem, random: &again))
            XCTAssertTrue(problem.isFeasible(v))
            XCTAssertEqual(problem.bits(v)[2], 8)
            for i in problem.free where rank[v[i]] < problem.ascending.count - 1 {
                var up = v
                up[i] = problem.ascending[rank[v[i]] + 1]
                XCTAssertFalse(problem.isFeasible(up), "seed \(seed): layer \(i) could still go up")
            }
            costs.append(problem.hardwareCost(v))
        }
        XCTAssertGreaterThan(Set(costs).count, 1, "different seeds should give different configurations")
    }

    func testLockedLayersNeverChange() throws {
        let problem = try syntheticProblem(seed: 11, averageBits: 3, locked: ["layer0": 8, "layer5": 2, "layer7": 4])
        var reports = 0
        let result = GeneticSearch(configuration: .init(generations: 40, seed: 3), problem: problem).run { g in
            reports += 1
            XCTAssertEqual([g.bestBits[0], g.bestBits[5], g.bestBits[7]], [8, 2, 4])
        }
        XCTAssertEqual(reports, 40)
        XCTAssertEqual([result.bits[0], result.bits[5], result.bits[7]], [8, 2, 4])
        var random = Xoshiro256StarStar(seed: 1)
        for _ in 0..<200 {
            let v = problem.bits(RandomConfiguration.draw(problem, random: &random))
            XCTAssertEqual([v[0], v[5], v[7]], [8, 2, 4])
        }
        // The exhaustive optimum with the same locks agrees.
        XCTAssertEqual(result.objective, problem.objective(ExhaustiveSearch.optimum(problem)!), accuracy: 1e-12)
    }

    func testInvalidLocksAndImpossibleBudgetsAreRejected() throws {
        XCTAssertThrowsError(try syntheticProblem(seed: 1, averageBits: 3, locked: ["stem": 4]))
        XCTAssertThrowsError(try syntheticProblem(seed: 1, averageBits: 3, locked: ["nope": 4]))
        XCTAssertThrowsError(try syntheticProblem(seed: 1, averageBits: 3, locked: ["layer1": 3]))
        // Locking many layers at 8 bits makes a 2-bit average impossible.
        let locks = Dictionary(uniqueKeysWithValues: (0..<6).map { ("layer\($0)", 8) })
        XCTAssertThrowsError(try syntheticProblem(seed: 1, averageBits: 2, locked: locks))
    }

    func testSameSeedSameRunOtherSeedOtherPath() throws {
        let problem = try syntheticProblem(seed: 12, averageBits: 3)
        func trace(_ seed: UInt64) -> [GeneticSearch.Generation] {
            var out: [GeneticSearch.Generation] = []
            _ = GeneticSearch(configuration: .init(generations: 30, seed: seed), problem: problem).run { out.append($0) }
            return out
        }
        let a = trace(5), b = trace(5), c = trace(6)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.map(\.meanObjective), c.map(\.meanObjective))
    }

    func testGenerationReportsAreConsistent() throws {
        let problem = try syntheticProblem(seed: 13, averageBits: 3)
        var last = Double.infinity
        _ = GeneticSearch(configuration: .init(generations: 25, seed: 0), problem: problem).run { g in
            XCTAssertLessThanOrEqual(g.bestObjective, last, "elitism: the best never gets worse")
            XCTAssertLessThanOrEqual(g.bestObjective, g.meanObjective)
            XCTAssertEqual(g.bestObjective, problem.objective(problem.table.bitIndices(of: g.bestBits)!), accuracy: 1e-12)
            XCTAssertEqual(g.bestCost, problem.hardwareCost(problem.table.bitIndices(of: g.bestBits)!))
            XCTAssertLessThanOrEqual(g.bestCost, problem.limit)
            XCTAssertTrue((0...g.population).contains(g.feasibleChildren))
            last = g.bestObjective
        }
    }
}
