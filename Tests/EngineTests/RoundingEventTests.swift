import Foundation
import Tensor
import XCTest
@testable import Engine
import Quantization

/// The rounding event (flips and h(α) per trained layer) as a run emits it,
/// its round trip through the log, and its checks on read; and the units'
/// node structure the block diagram is drawn from.
final class RoundingEventTests: TinyRunTestCase {
    func testEachTrainedPhaseReportsItsRoundingAtStartIntervalAndEnd() throws {
        var c = tiny.configuration()
        c.roundingInterval = 10
        let runner = SessionRunner(configuration: c)
        let events = EventCollector(runner)
        runner.start()
        guard case .finished = events.finish() else { return XCTFail("the run must finish") }
        let all = events.events
        guard let info = all.lazy.compactMap({ e -> SessionInfo? in if case .sessionStarted(let i) = e { i } else { nil } }).first else {
            return XCTFail("no session event")
        }
        let snapshots = all.compactMap { e -> RoundingSnapshot? in if case .rounding(let r) = e { r } else { nil } }
        let done = all.compactMap { e -> UnitFinished? in if case .unitFinished(let f) = e, f.status == .done { f } else { nil } }
        XCTAssertFalse(done.isEmpty)
        for f in done {
            let unit = snapshots.filter { $0.unit == f.unit }
            // Only the weights phase learns rounding (30 iterations): 0, 10, 20, 30.
            XCTAssertEqual(unit.map(\.iteration), [0, 10, 20, 30], "\(f.name)")
            XCTAssertTrue(unit.allSatisfy { $0.phase == .weights })
            XCTAssertNil(unit.first?.beta, "the regulariser is off at the start")
            XCTAssertNotNil(unit.last?.beta, "and on at the end")
            for snapshot in unit {
                XCTAssertEqual(snapshot.layers.map(\.layer), info.units[f.unit].layers, "one entry per layer of the unit, in order")
                for layer in snapshot.layers {
                    let params = try XCTUnwrap(info.layers.first { $0.name == layer.layer }?.params)
                    XCTAssertLessThan(layer.weights, params, "weights without the biases")
                    XCTAssertGreaterThan(layer.weights, params / 2)
                    XCTAssertEqual(layer.histogram.reduce(0, +), layer.weights)
                    XCTAssertLessThanOrEqual(layer.flips, layer.weights)
                }
            }
            // h(α) starts at the fractional parts: hard rounding is round-to-nearest.
            XCTAssertEqual(unit.first?.layers.map(\.flips).reduce(0, +), 0)
        }
        // The stem is not reconstructed and the activations phase learns no rounding.
        XCTAssertFalse(snapshots.contains { $0.unit == 0 })
    }

    func testRoundTripAndHostileValues() throws {
        let layer = LayerRoundingStatistics(layer: "conv1", weights: 20, flips: 3, undecided: 5,
                                            histogram: [8, 1, 1, 0, 1, 1, 0, 1, 0, 7])
        let snapshot = RoundingSnapshot(unit: 2, phase: .weights, iteration: 200, iterations: 1000, beta: 17.5, layers: [layer])
        let line = try EventLog.line(for: EventRecord(time: 3, event: .rounding(snapshot)))
        XCTAssertTrue(line.contains(#""type":"rounding""#), line)
        XCTAssertEqual(try EventLog.record(fromLine: Data(line.utf8)).event, .rounding(snapshot))

        func error(_ edit: (inout RoundingSnapshot) -> Void) throws -> String? {
            var bad = snapshot
            edit(&bad)
            let text = try EventLog.line(for: EventRecord(time: 3, event: .rounding(bad)))
            do { _ = try EventLog.record(fromLine: Data(text.utf8)); return nil } catch { return error.reason }
        }
        XCTAssertEqual(try error { $0.layers[0].flips = 21 }, "rounding.layers[0].flips: 21 is outside 0…20")
        XCTAssertEqual(try error { $0.layers[0].histogram[0] = 9 }, "rounding.layers[0].histogram: adds up to 21, not the layer's 20 weights")
        XCTAssertEqual(try error { $0.layers[0].histogram[0] = -1 }, "rounding.layers[0].histogram[0]: -1 is outside 0…20")
        XCTAssertEqual(try error { $0.layers[0].weights = -5 }, "rounding.layers[0].weights: -5 is outside 0…10000000000000")
        XCTAssertEqual(try error { $0.unit = 100_000 }, "rounding.unit: index 100000 is outside 0..<100000")
        XCTAssertNotNil(try error { $0.layers[0].histogram = [Int](repeating: 0, count: EventFieldLimits.histogramBins.upperBound) + [20] })
    }

    /// The block diagram's source: every unit's nodes in order with their operands,
    /// a residual block's Add reading both its main path and its skip.
    func testUnitsCarryTheirNodeStructureFromTheGraph() throws {
        let runner = SessionRunner(configuration: tiny.configuration())
        let events = EventCollector(runner)
        runner.start()
        let first = events.waitFor { if case .sessionStarted = $0 { true } else { false } }
        runner.send(.stop)
        _ = events.finish()
        guard case .sessionStarted(let info)? = first?.event else { return XCTFail("no session event") }
        let blocks = info.units.filter { $0.kind == "basic" }
        XCTAssertFalse(blocks.isEmpty)
        for unit in info.units {
            let nodes = try XCTUnwrap(unit.nodes, unit.name)
            XCTAssertEqual(nodes.filter(\.isLayer).map(\.name), unit.layers, "\(unit.name): its layers, in order")
            for (k, node) in nodes.enumerated() { XCTAssertTrue(node.inputs.allSatisfy { $0 >= -1 && $0 < k }) }
        }
        for block in blocks {
            let nodes = block.nodes!
            let add = try XCTUnwrap(nodes.firstIndex { $0.op == "add" }, block.name)
            XCTAssertEqual(nodes[add].inputs.count, 2)
            // Layers from an operand back to the unit's input along first operands.
            func layersBack(_ start: Int) -> Int {
                var n = 0, k = start
                while k >= 0 { if nodes[k].isLayer { n += 1 }; k = nodes[k].inputs.first ?? -1 }
                return n
            }
            // One operand comes through the two convolutions, the other is the skip: the input itself or a 1×1 conv of it.
            let operands = nodes[add].inputs.sorted { layersBack($0) < layersBack($1) }
            XCTAssertEqual(layersBack(operands[1]), 2, "\(block.name): \(nodes)")
            // The skip leaves the main path where the block begins (the unit's input, or a pooling
            // the block starts with): the operand is on the main path's chain, or a 1×1 conv reading it.
            var mainChain: [Int] = [], k = operands[1]
            while k >= 0 { mainChain.append(k); k = nodes[k].inputs.first ?? -1 }
            mainChain.append(-1)
            let skip = operands[0]
            let source = skip >= 0 && nodes[skip].isLayer ? nodes[skip].inputs[0] : skip
            XCTAssertTrue(mainChain.contains(source), "\(block.name): \(nodes)")
            if skip >= 0 && nodes[skip].isLayer { XCTAssertTrue(nodes[skip].op.hasPrefix("conv 1x1"), "\(block.name): \(nodes)") }
        }
        // Round trip keeps the structure.
        let line = try EventLog.line(for: EventRecord(time: 0, event: .sessionStarted(info)))
        XCTAssertEqual(try EventLog.record(fromLine: Data(line.utf8)).event, .sessionStarted(info))
    }
}
