import Foundation
import Network
import Quantization

extension SessionWorker {
    /// The mixed-precision search on command: sensitivities of the FP model,
    /// the genetic search under the run's budget, then the chosen weight bits
    /// for every layer whose unit has not started. Locked layers, and layers
    /// already reconstructed or being reconstructed, keep their bits.
    func runSearch() {
        let settings = configuration.search
        var fixed: [String: Int] = [:]
        let firstOpen = reconstructor == nil ? unitIndex : unitIndex + 1
        for (k, unit) in units.enumerated() {
            for layer in unit.layers where k < firstOpen || lockedLayers.contains(layer) {
                fixed[layer] = session.model.layer(named: layer)?.bits
            }
        }
        let space = SearchSpace(graph: graph)
        let lockedBits = fixed.filter { space.index(of: $0.key) != nil }
        if lockedBits.count == space.count {
            reject("search: every searchable layer is locked or already reconstructed; nothing to search")
            return
        }
        let previous = state
        setState(.searching)
        defer { setState(previous) }
        let planner: MixedPrecisionPlanner
        let prepared: PreparedSearch
        do {
            // The first evaluation waits for the images, FP outputs, calibration and
            // Fisher weights: say at once that the measurement is under way and how long it is.
            let total = SensitivityAnalysis.evaluationCount(graph: graph, settings: settings.sensitivity(activationBits: configuration.abits))
            let started = now
            emit(.searchSensitivity(SensitivityProgress(unit: "", done: 0, total: total, seconds: 0)))
            var source = try DatasetSource(argument: configuration.data, skipBadImages: configuration.skipBadImages ?? false)
            source.cache = ImageTensorFileCache()
            planner = MixedPrecisionPlanner(graph: graph, config: modelConfig, data: source,
                                            activationBits: configuration.abits, settings: settings)
            var throttle = SensitivityThrottle()
            prepared = try planner.prepare(images: try planner.sensitivityImages(), lockedBits: lockedBits) { p in
                let seconds = now - started
                guard throttle.shouldEmit(unit: p.unit, done: p.done, total: p.total, seconds: seconds) else { return }
                emit(.searchSensitivity(SensitivityProgress(unit: p.unit, done: p.done, total: p.total, seconds: seconds)))
            }
            if prepared.cached {
                emit(.searchSensitivity(SensitivityProgress(unit: "", done: total, total: total, seconds: now - started, cached: true)))
            }
        } catch {
            reject("search: \(ErrorText.oneLine(error))")
            return
        }
        let order = LayerInfo.all(graph: graph, units: units, model: session.model, locked: lockedLayers).map(\.name)
        let currentBits = order.map { session.model.layer(named: $0)?.bits ?? 32 }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        func allLayers(_ searched: [Int]) -> [Int] {
            var bits = currentBits
            for (name, b) in zip(prepared.space.layers, searched) { if let i = position[name] { bits[i] = b } }
            return bits
        }
        let (budgetKind, budgetAmount): (String, Double) = switch prepared.budget.amount {
        case .absolute(let v): ("absolute", v)
        case .relativeToUniform4Bit(let f): ("relative", f)
        case .averageWeightBits(let b): ("avgbits", b)
        }
        emit(.searchStarted(SearchStarted(generations: settings.generations, population: settings.population,
                                          measure: prepared.budget.measure.rawValue, budget: prepared.limit,
                                          uniform4Cost: prepared.uniform4Cost ?? .nan, budgetKind: budgetKind,
                                          budgetAmount: budgetAmount, unit: prepared.budget.measure.unit)))
        let chosen: [Int]
        do {
            chosen = try planner.choose(.genetic, prepared: prepared, seed: configuration.seed) { g in
                emit(.searchGeneration(GenerationStats(
                    generation: g.generation, generations: g.generations, bestObjective: g.bestObjective,
                    meanObjective: g.meanObjective, feasible: g.feasibleChildren, population: g.population,
                    bestBits: allLayers(g.bestBits), bestCost: g.bestCost, budget: prepared.limit,
                    bestAverageBits: prepared.averageBits(g.bestBits))))
            }.bits
        } catch {
            reject("search: \(error)")
            return
        }
        apply(searched: chosen, space: prepared.space, fixed: fixed)
        let info = prepared.info(bits: chosen, method: MixedPrecisionPlanner.Method.genetic.rawValue, seed: configuration.seed)
        emit(.message(Message(level: .info, text: String(
            format: "search: objective %.4g, cost %.4g of %.4g %@, average weight bits %.2f",
            info.objective, info.cost, info.limit, prepared.budget.measure.unit, info.averageBits))))
    }

    /// Sets the searched bits on every layer that is not fixed; they stay unlocked.
    private func apply(searched: [Int], space: SearchSpace, fixed: [String: Int]) {
        for (layer, bits) in zip(space.layers, searched) where fixed[layer] == nil {
            guard session.model.layer(named: layer)?.bits != bits else { continue }
            do { try session.setWeightBits(layer: layer, bits: bits) } catch {
                reject("search: \(layer): \(error)")
                continue
            }
            do { configuration.layerBits[layer] = try LayerBits(wbits: bits, abits: session.model.inputActivationBits(ofLayer: layer)) } catch {
                reject("search: \(layer): \(error)")
                continue
            }
            emitBits(of: layer)
        }
    }
}

/// Sensitivity progress events at a pace a screen can use: on every new unit,
/// at the end, and otherwise at most every quarter second (a measurement makes
/// thousands of evaluations, some in microseconds).
struct SensitivityThrottle {
    private var lastUnit: String?
    private var lastSeconds = -Double.infinity
    static let interval = 0.25

    mutating func shouldEmit(unit: String, done: Int, total: Int, seconds: Double) -> Bool {
        guard unit != lastUnit || done >= total || seconds - lastSeconds >= Self.interval else { return false }
        lastUnit = unit
        lastSeconds = seconds
        return true
    }
}
