import XCTest
import Engine
import Quantization
@testable import Dashboard

/// The Analysis page (key `a`) says what the analysis measured: the worst
/// layer first, bars proportional to the noise energy, grid ticks at the
/// quantization levels of the histogram's axis, and `b`/`r` act on the
/// selected layer.
final class AnalysisPageTests: XCTestCase {
    typealias S = SyntheticSession
    static let size = TerminalSize(width: 100, height: 40)

    static func layer(_ name: String, unit: Int, db: Double, kl: Double) -> LayerAnalysis {
        var weights = GridHistogram(maxLevel: 15, bins: 32)
        for (k, c) in [0, 0, 0, 2, 5, 9, 14, 20, 24, 20, 14, 9, 5, 2, 1, 0].enumerated() { weights.counts[k * 2 + 1] = c }
        let stats = QuantizerStatistics(bits: 4, minimum: -0.4, maximum: 0.4, step: 0.05, rangeInSteps: 16, clippedFraction: 0.01,
                                        histogram: weights)
        let isolated = IsolatedError(kl: kl, top1Changed: kl * 10)
        return LayerAnalysis(layer: name, block: unit, blockName: "b\(unit)", weightBits: 4, activationBits: 8,
                             accumulated: AccumulatedError(noiseToSignalDecibels: db, cosine: 0.99, mse: 0.001),
                             isolated: IsolatedErrors(weights: isolated, activations: isolated, both: isolated),
                             weightStatistics: stats, activationStatistics: nil)
    }

    /// Graph order differs from the ranking on purpose: layer2.0.conv2 (−10 dB) is the worst.
    static let update = AnalysisUpdate(unitsDone: 3, unitCount: 5, report: AnalysisReport(
        images: 64,
        layers: [layer("layer1.0.conv1", unit: 1, db: -30, kl: 0.001), layer("layer1.0.conv2", unit: 1, db: -20, kl: 0.002),
                 layer("layer2.0.conv1", unit: 2, db: -13, kl: 0.004), layer("layer2.0.conv2", unit: 2, db: -10, kl: 0.01)],
        output: IsolatedError(kl: 0.02, top1Changed: 0.01), fpAccuracy: nil, quantizedAccuracy: nil))

    private func page() -> DashboardState {
        var s = S.state(S.midRun() + [S.record(70, .analysis(Self.update))], from: DashboardState(size: Self.size))
        s = DashboardReducer.update(s, .key(.character("a"))).0
        return s
    }

    func testKeyAOpensThePageWithTheWorstLayerFirstAndProportionalBars() {
        let s = page()
        XCTAssertEqual(s.focus, .analysis)
        let grid = DashboardView.render(s, size: Self.size, charset: .unicode)
        assertSnapshot(grid, named: "analysis-100x40-utf8")
        let rows = (0..<Self.size.height).map { grid.row($0) }
        let order = ["layer2.0.conv2", "layer2.0.conv1", "layer1.0.conv2", "layer1.0.conv1"]
        let lines = order.map { name in rows.firstIndex { $0.contains(name) && !$0.contains(":") }! }
        XCTAssertEqual(lines, lines.sorted(), "rows worst first")
        XCTAssertEqual(lines, Array(lines[0]..<(lines[0] + 4)))
        // Bars in eighths of a cell: −10, −13, −20, −30 dB → 1, ½, 0.1, 0.01 of the worst.
        func eighths(_ row: String) -> Int {
            let partial: [Character: Int] = ["▏": 1, "▎": 2, "▍": 3, "▌": 4, "▋": 5, "▊": 6, "▉": 7]
            return row.reduce(0) { $0 + ($1 == "█" ? 8 : partial[$1] ?? 0) }
        }
        let bars = lines.map { eighths(rows[$0]) }
        let full = Double(bars[0])
        XCTAssertGreaterThan(full, 100)
        for (bar, db) in zip(bars, [-10.0, -13, -20, -30]) {
            XCTAssertEqual(Double(bar), full * pow(10, (db + 10) / 10), accuracy: 1, "bar at \(db) dB")
        }
    }

    func testGridTicksSitAtTheLevelsOfTheHistogramAxis() {
        let s = page()
        let grid = DashboardView.render(s, size: Self.size, charset: .unicode)
        let rows = (0..<Self.size.height).map { grid.row($0) }
        // The selected (worst) layer's weight histogram: its axis row is the last inside the box, left half.
        guard let labelRow = rows.firstIndex(where: { $0.contains("weights W4:") }) else { return XCTFail("no histogram") }
        let axisRow = Array(rows[Self.size.height - 3].unicodeScalars)
        let label = Array(rows[labelRow].unicodeScalars)
        let x0 = label.firstIndex(of: "w")!
        let width = (Self.size.width - 2 - 3) / 2
        let h = GridHistogram(maxLevel: 15, bins: 32)
        // Level k sits at (k − lower)/(upper − lower) of the width: computed here, not by the view.
        let expected = (0...15).map { x0 + Int(((Double($0) - h.lower) / (h.upper - h.lower) * Double(width)).rounded(.down)) }
        for (k, x) in expected.enumerated() { XCTAssertEqual(axisRow[x], "+", "tick of level \(k) at column \(x)") }
        XCTAssertEqual(axisRow[x0..<(x0 + width)].filter { $0 == "+" }.count, 16)
        let lo = x0 + Int(((-0.5 - h.lower) / (h.upper - h.lower) * Double(width)).rounded(.down))
        let hi = x0 + Int(((15.5 - h.lower) / (h.upper - h.lower) * Double(width)).rounded(.down))
        XCTAssertEqual(axisRow[lo], "[")
        XCTAssertEqual(axisRow[hi], "]")
    }

    func testBRaisesTheSelectedLayersBitsAndRRestartsItsRunningUnitOrReRunsAFinishedOne() {
        var s = page()
        // Worst first: the selection starts on layer2.0.conv2, in unit 2, already done in midRun:
        // b and r ask before re-running units 3–4 (unit 2's 20 s, the running unit's 10 s so far).
        var (next, effects) = DashboardReducer.update(s, .key(.character("b")))
        XCTAssertTrue(effects.isEmpty)
        XCTAssertEqual(next.overlay, .confirmRewind(RewindRequest(unit: 2, unitName: "layer2.0", lastUnit: 3, seconds: 30,
                                                                  lock: .init(layer: "layer2.0.conv2", wbits: 8, abits: 8))))
        (next, effects) = DashboardReducer.update(s, .key(.character("r")))
        XCTAssertTrue(effects.isEmpty)
        XCTAssertEqual(next.overlay, .confirmRewind(RewindRequest(unit: 2, unitName: "layer2.0", lastUnit: 3, seconds: 30, lock: nil)))
        // Move to a layer of the running unit 3: the analysis names only those given, so give one.
        var update = Self.update
        update.report.layers.append(Self.layer("layer3.0.conv1", unit: 3, db: -5, kl: 0.1))
        s = DashboardReducer.update(s, .engine(S.record(71, .analysis(update)))).0
        s.analysisSelection = 0
        (next, effects) = DashboardReducer.update(s, .key(.character("r")))
        XCTAssertEqual(effects, [.send(.restartUnit)])
        (next, effects) = DashboardReducer.update(s, .key(.character("b")))
        // The running unit: the lock asks first, as the bits panel's b does.
        if case .confirmLock(let request)? = next.overlay {
            XCTAssertEqual(request.layer, "layer3.0.conv1")
            XCTAssertEqual(request.wbits, 8)
        } else {
            XCTFail("expected the lock confirmation, got \(String(describing: next.overlay)) \(effects)")
        }
    }
}
