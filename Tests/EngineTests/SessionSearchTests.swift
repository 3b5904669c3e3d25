import Foundation
import XCTest
@testable import Engine
import Network
import Quantization

/// The mixed-precision search started by command while a session runs.
final class SessionSearchTests: TinyRunTestCase {
    private func configuration(budget: String) -> RunConfiguration {
        var c = tiny.configuration(wbits: 4)
        c.iterations = 100_000  // the stem runs until the test lowers it
        c.search = SearchSettings(budget: budget, sensitivityImages: 32, population: 16, generations: 12, parents: 6,
                                  elites: 2, cacheDirectory: nil)
        return c
    }

    private func startedInfo(_ events: EventCollector) -> SessionInfo? {
        if case .sessionStarted(let info)? = events.waitFor({ if case .sessionStarted = $0 { true } else { false } })?.event { info } else { nil }
    }

    func testSearchSetsPendingLayersWithinTheBudgetAndALockSurvivesIt() throws {
        let runner = SessionRunner(configuration: configuration(budget: "avgbits=3"))
        runner.start()
        let events = EventCollector(runner)
        guard let info = startedInfo(events) else { return XCTFail("no session") }
        let locked = info.units[info.units.count - 2].layers[0]
        runner.send(.lock(layer: locked, wbits: 8, abits: 4))
        runner.send(.startSearch)
        XCTAssertNotNil(events.waitFor { if case .message(let m) = $0 { m.text.hasPrefix("search: objective") } else { false } })
        runner.send(.setIterations(current: 1, default: 1))
        guard case .finished(let summary) = events.finish() else { return XCTFail("the run must finish") }

        let generations = events.events.compactMap { e -> GenerationStats? in if case .searchGeneration(let g) = e { g } else { nil } }
        XCTAssertEqual(generations.map(\.generation), Array(1...12))
        guard let best = generations.last else { return }
        XCTAssertLessThanOrEqual(best.bestCost, best.budget * (1 + 1e-9))
        XCTAssertEqual(best.bestBits.count, info.layers.count)
        XCTAssertTrue(events.events.contains(.stateChanged(.searching)))

        let searchable = SearchSpace(graph: try Graph.importONNX(path: tiny.modelPath)).layers
        XCTAssertGreaterThan(searchable.count, 2)
        for (k, layer) in info.layers.enumerated() where searchable.contains(layer.name) {
            XCTAssertEqual(summary.bits[layer.name]?.wbits, best.bestBits[k], layer.name)
        }
        XCTAssertEqual(summary.bits[locked]?.wbits, 8, "the locked layer keeps its bits")
        XCTAssertTrue(events.events.contains(.bitsChanged(BitsChange(layer: locked, wbits: 8, abits: 4, locked: true))))
        let later = events.events.compactMap { e -> BitsChange? in if case .bitsChanged(let b) = e, b.layer == locked, !b.locked { b } else { nil } }
        XCTAssertEqual(later, [], "the search never touches a locked layer")
        let chosen = Set(searchable.filter { $0 != locked }.compactMap { summary.bits[$0]?.wbits })
        XCTAssertTrue(chosen.isSubset(of: [2, 4, 8]))
        XCTAssertTrue(chosen.contains(2), "3 average bits needs some 2-bit layers: \(chosen)")

        // The same pipeline as `brecq search`: the planner with the run's settings and seed chooses these bits,
        // given what the session held fixed (the lock, and the layers of units started before the search began).
        let searchStart = try XCTUnwrap(events.events.firstIndex { if case .searchStarted = $0 { true } else { false } })
        let started = Set(events.events[..<searchStart].compactMap { e -> Int? in if case .unitStarted(let u) = e { u.unit } else { nil } })
        var fixed = [locked: 8]
        for layer in info.layers where started.contains(layer.unit) && searchable.contains(layer.name) && layer.name != locked {
            fixed[layer.name] = layer.wbits
        }
        let planner = try self.planner(configuration(budget: "avgbits=3").search)
        let prepared = try planner.prepare(images: try planner.sensitivityImages(), lockedBits: fixed)
        let planned = try planner.choose(.genetic, prepared: prepared, seed: 0).bits
        XCTAssertEqual(prepared.space.layers, searchable)
        for (layer, bits) in zip(prepared.space.layers, planned) {
            XCTAssertEqual(summary.bits[layer]?.wbits, bits, "\(layer): the session chose what brecq search chooses")
        }
    }

    private func planner(_ settings: SearchSettings) throws -> MixedPrecisionPlanner {
        let loaded = try LoadedModel.load(path: tiny.modelPath)
        return MixedPrecisionPlanner(graph: loaded.graph, config: loaded.config,
                                     data: try DatasetSource(argument: tiny.directory.path, skipBadImages: false),
                                     activationBits: 4, settings: settings)
    }

    func testThePlannerRefusesFewerImagesThanAskedFor() throws {
        let planner = try self.planner(SearchSettings(budget: "avgbits=3", sensitivityImages: 97, cacheDirectory: nil))
        XCTAssertThrowsError(try planner.sensitivityImages()) { error in
            XCTAssertEqual("\(error)", "\(self.tiny.directory.path): only 96 training images, --sensitivity-images asks for 97")
        }
    }

    func testAnInfeasibleBudgetIsRejectedAndTheRunGoesOn() throws {
        let runner = SessionRunner(configuration: configuration(budget: "avgbits=2"))
        runner.start()
        let events = EventCollector(runner)
        guard let info = startedInfo(events) else { return XCTFail("no session") }
        runner.send(.lock(layer: info.units[1].layers[0], wbits: 8, abits: 4))
        runner.send(.startSearch)
        let rejection = events.waitFor { if case .message(let m) = $0 { m.level == .error } else { false } }
        guard case .message(let m)? = rejection?.event else { return XCTFail("no error") }
        XCTAssertTrue(m.text.contains("below the cheapest"), m.text)
        runner.send(.setIterations(current: 1, default: 1))
        guard case .finished = events.finish() else { return XCTFail("the run must go on") }
        XCTAssertFalse(events.events.contains { if case .searchGeneration = $0 { true } else { false } })
    }
}
