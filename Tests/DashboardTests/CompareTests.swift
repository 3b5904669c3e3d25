import XCTest
import Engine
import Quantization
import Network
@testable import Dashboard

/// `brecq compare`: two recordings of one model aligned unit by unit, the
/// screen and the table, and the refusal of recordings of different models.
final class CompareTests: XCTestCase {
    typealias S = SyntheticSession

    /// A finished block-wise run whose final losses are `factor` times the synthetic ones, with its top-1.
    static func run(method: RunConfiguration.Method, granularity: Granularity = .block, factor: Double, top1: Double) -> [EventRecord] {
        var info = S.info
        info.method = method
        info.granularity = granularity
        var records = [S.record(0, .sessionStarted(info)), S.record(0.5, .stateChanged(.running)),
                       S.record(0.6, .evaluation(EvaluationResult(model: .fp, images: 1000, top1: 0.9912, top5: 0.9998, kl: nil)))]
        var t = 1.0
        for unit in 0..<S.units.count {
            let (before, after) = S.finalLosses[unit]
            let end = after * factor
            records.append(S.record(t, .unitStarted(UnitStarted(unit: unit, name: S.units[unit].name, phase: .weights, iterations: 2000, warmupIterations: 400))))
            records += S.iterations(unit: unit, to: 2000, every: 100, start: before, end: end, t0: t)
            t += 20
            records.append(S.record(t, .unitFinished(UnitFinished(unit: unit, name: S.units[unit].name, status: .done,
                                                                   lossBefore: before, lossAfter: end, seconds: 20))))
        }
        records.append(S.record(t + 1, .evaluation(EvaluationResult(model: .quantized(.init(done: 5, total: 5)), images: 1000,
                                                                      top1: top1, top5: 0.99, kl: 0.01))))
        return records
    }

    func comparison() throws -> RunComparison {
        try RunComparison(a: ("runs/adaround.jsonl", Self.run(method: .adaround, factor: 1, top1: 0.9612)),
                          b: ("runs/brecq.jsonl", Self.run(method: .brecq, factor: 0.5, top1: 0.9874)))
    }

    func testUnitsAlignAndDifferencesAreBRelativeToA() throws {
        let c = try comparison()
        XCTAssertEqual(c.rows.map(\.name), S.units.map(\.name))
        // layer3.0: A ends at 0.29, B at half of it: B's loss is 50 % lower.
        let row = c.rows[3]
        XCTAssertEqual(try XCTUnwrap(c.finalLoss(run: 0, row: row)), 0.29, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(c.finalLoss(run: 1, row: row)), 0.145, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(c.difference(row)), -50, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(c.top1Difference), 2.62, accuracy: 1e-9)
        let table = c.table()
        XCTAssertTrue(table.contains("top-1: A 96.12%  B 98.74%  B-A +2.62 points  (FP 99.12%)"), table)
        XCTAssertTrue(table.split(separator: "\n").contains { $0.hasPrefix("layer3.0") && $0.contains("0.290") && $0.contains("0.145") && $0.hasSuffix("-50%") }, table)
    }

    func testScreenSnapshot() throws {
        let c = try comparison()
        for (sizeName, size) in [("80x24", SnapshotTests.small), ("120x40", SnapshotTests.large)] {
            for (charsetName, charset) in [("utf8", Charset.unicode), ("ascii", Charset.ascii)] {
                let grid = CompareView.render(c, selected: 3, logY: false, size: size, charset: charset)
                assertSnapshot(grid, named: "compare-\(sizeName)-\(charsetName)")
                let text = grid.text
                XCTAssertTrue(text.contains("adaround W4A8 block") && text.contains("brecq W4A8 block"), text)
                XCTAssertTrue((text.contains("A adaround") && text.contains("B brecq")) || size == SnapshotTests.small, "the chart's legend:\n\(text)")
                XCTAssertTrue(text.contains("-50%"), text)
            }
        }
        // Both curves are drawn: cells in both series' colours.
        let grid = CompareView.render(c, selected: 3, logY: false, size: SnapshotTests.large, charset: .unicode)
        var roles = Set<StyleRole>()
        for y in 3..<38 { for x in 50..<118 { roles.insert(grid[x, y].role) } }
        XCTAssertTrue(roles.contains(.recSeries) && roles.contains(.meanSeries))
    }

    /// A layer-wise run beside a block-wise one: a block's row holds the block
    /// and the layer units covering the same layers, which have no loss of their own there.
    func testLayerWiseAgainstBlockWiseAlignsByLayers() throws {
        var layerInfo = S.info
        layerInfo.granularity = .layer
        // layer2.0's three layers as three units.
        layerInfo.units = [S.units[0], S.units[1],
                           UnitInfo(index: 2, name: "layer2.0.conv1", kind: "layer", layers: ["layer2.0.conv1"], outputShape: [32, 14, 14], params: 4640, macs: 1),
                           UnitInfo(index: 3, name: "layer2.0.conv2", kind: "layer", layers: ["layer2.0.conv2"], outputShape: [32, 14, 14], params: 9248, macs: 1),
                           UnitInfo(index: 4, name: "layer2.0.downsample", kind: "layer", layers: ["layer2.0.downsample"], outputShape: [32, 14, 14], params: 544, macs: 1),
                           S.units[3], S.units[4]]
        let c = try RunComparison(a: ("layer.jsonl", [S.record(0, .sessionStarted(layerInfo))]), b: ("block.jsonl", [S.record(0, .sessionStarted(S.info))]))
        XCTAssertEqual(c.rows.map(\.units), [[[0], [0]], [[1], [1]], [[2, 3, 4], [2]], [[5], [3]], [[6], [4]]])
        XCTAssertEqual(c.rows[2].name, "layer2.0")
        XCTAssertNil(c.finalLoss(run: 0, row: c.rows[2]))
    }

    func testRecordingsOfDifferentModelsAreRefusedInOneLine() {
        var other = S.info
        other.layers[4].params = 9999
        XCTAssertThrowsError(try RunComparison(a: ("a.jsonl", [S.record(0, .sessionStarted(S.info))]),
                                               b: ("b.jsonl", [S.record(0, .sessionStarted(other))]))) { error in
            XCTAssertEqual("\(error)", "a.jsonl and b.jsonl are recordings of different models: layer layer2.0.conv2 (conv, 9248 parameters) against layer2.0.conv2 (conv, 9999 parameters)")
        }
        var fewer = S.info
        fewer.layers.removeLast()
        XCTAssertThrowsError(try RunComparison(a: ("a.jsonl", [S.record(0, .sessionStarted(S.info))]),
                                               b: ("b.jsonl", [S.record(0, .sessionStarted(fewer))]))) { error in
            XCTAssertEqual("\(error)", "a.jsonl and b.jsonl are recordings of different models: 9 layers against 8")
        }
    }

    func testKeys() {
        var s = CompareApp.State(size: SnapshotTests.small)
        XCTAssertTrue(CompareApp.update(&s, .key(.character("j")), rows: 5))
        XCTAssertTrue(CompareApp.update(&s, .key(.end), rows: 5))
        for _ in 0..<10 { _ = CompareApp.update(&s, .key(.down), rows: 5) }
        XCTAssertEqual(s.selected, 4)
        _ = CompareApp.update(&s, .key(.character("y")), rows: 5)
        XCTAssertTrue(s.logY)
        XCTAssertFalse(CompareApp.update(&s, .key(.character("q")), rows: 5))
    }
}
