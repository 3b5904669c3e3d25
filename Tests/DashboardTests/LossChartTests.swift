import XCTest
import Engine
import Quantization
@testable import Dashboard

/// The loss chart tells the truth: axis labels differ and bracket the data,
/// what is not in play is not drawn, the soft curve is linked to the unit's
/// before/after by labelled reference lines, and both phases of a W4A4 unit stay.
final class LossChartTests: XCTestCase {
    typealias S = SyntheticSession

    // MARK: Axis ticks

    func assertTicksDistinctAndBracketing(_ low: Double, _ high: Double, file: StaticString = #filePath, line: UInt = #line) {
        let ticks = AxisTicks.linear(low: low, high: high)
        XCTAssertEqual(Set(ticks.labels).count, 3, "labels repeat for [\(low), \(high)]: \(ticks.labels)", file: file, line: line)
        let values = ticks.labels.map { Double($0) }
        XCTAssertFalse(values.contains(nil), "unparsable label in \(ticks.labels)", file: file, line: line)
        guard let top = values[0], let middle = values[1], let bottom = values[2] else { return }
        let slack = (high - low) * 1e-9
        XCTAssertGreaterThanOrEqual(top, high - slack, "top label \(ticks.labels[0]) below the data's max \(high)", file: file, line: line)
        XCTAssertLessThanOrEqual(bottom, low + slack, "bottom label \(ticks.labels[2]) above the data's min \(low)", file: file, line: line)
        // Each label is the value at its row: the chart maps exactly this range.
        XCTAssertEqual(top, ticks.high, accuracy: abs(ticks.high) * 1e-9 + 1e-300, file: file, line: line)
        XCTAssertEqual(bottom, ticks.low, accuracy: abs(ticks.low) * 1e-9 + 1e-300, file: file, line: line)
        XCTAssertEqual(middle, ticks.middle, accuracy: abs(ticks.middle) * 1e-9 + 1e-300, file: file, line: line)
    }

    func testAxisLabelsDifferAndBracketTheData() {
        assertTicksDistinctAndBracketing(0.0105, 0.0114)
        assertTicksDistinctAndBracketing(0, 0)
        assertTicksDistinctAndBracketing(1e-9, 2e-9)
        assertTicksDistinctAndBracketing(0.46, 0.47)
        assertTicksDistinctAndBracketing(0.013, 0.46)
        assertTicksDistinctAndBracketing(0, 25.6)
        assertTicksDistinctAndBracketing(1234.5, 1234.6)
        assertTicksDistinctAndBracketing(-0.02, 0.03)
    }

    func testAxisForTheReportedRangesReadsNaturally() {
        XCTAssertEqual(AxisTicks.linear(low: 0.0105, high: 0.0114).labels, ["0.0115", "0.0110", "0.0105"])
        XCTAssertEqual(AxisTicks.linear(low: 0.46, high: 0.47).labels, ["0.470", "0.465", "0.460"])
        XCTAssertEqual(AxisTicks.linear(low: 1e-9, high: 2e-9).labels, ["2.0e-9", "1.5e-9", "1.0e-9"])
    }

    func testFlatSeriesGetsAnAxisAroundItsValue() {
        let flat = AxisTicks.linear(low: 0.46, high: 0.46)
        XCTAssertEqual(flat.labels[1], "0.460", "the flat value sits on the middle tick")
        XCTAssertEqual(flat.high - flat.low, 0.046, accuracy: 1e-9, "±5 %, not ±1e-6")
        let zero = AxisTicks.linear(low: 0, high: 0)
        XCTAssertEqual(zero.low, 0)
        XCTAssertEqual(zero.high, 1)
        XCTAssertFalse(zero.labels.contains { $0.contains("e-6") })
    }

    func testLogAxisLabelsDifferAndBracket() {
        for (low, high) in [(0.0105, 0.0114), (1e-4, 0.5), (0.46, 0.47)] {
            let ticks = AxisTicks.logarithmic(lowExponent: log10(low), highExponent: log10(high))
            XCTAssertEqual(Set(ticks.labels).count, 3, "\(ticks.labels)")
            XCTAssertGreaterThanOrEqual(Double(ticks.labels[0])!, high * (1 - 1e-12))
            XCTAssertLessThanOrEqual(Double(ticks.labels[2])!, low * (1 + 1e-12))
        }
    }

    // MARK: The chart

    /// A W4A4-style unit: weights phase (warm-up 100 of 500), then the activations phase.
    func twoPhaseUnit(activationsStarted: Bool, weightsIterations: Int = 500) -> DashboardState {
        var records = [S.record(0, .sessionStarted(S.info))]
        records.append(S.record(1, .unitStarted(UnitStarted(unit: 1, name: "layer1.0", phase: .weights, iterations: 500,
                                                            warmupIterations: 100, startLoss: 0.087, nearestLoss: 0.087))))
        for i in stride(from: 50, through: weightsIterations, by: 50) {
            let reg = i <= 100 ? 0.0 : 30 * Double(500 - i) / 400
            records.append(S.record(1 + Double(i) / 100, .iteration(IterationStats(
                unit: 1, phase: .weights, iteration: i, iterations: 500, reconstructionLoss: 0.05 - Double(i) * 0.00006,
                regularizerLoss: reg, beta: i <= 100 ? 0 : 20 - Double(i - 100) * 18 / 400, iterationsPerSecond: 100,
                hardLoss: i % 250 == 0 ? 0.03 - Double(i) * 0.00001 : nil))))
        }
        if activationsStarted {
            records.append(S.record(7, .unitStarted(UnitStarted(unit: 1, name: "layer1.0", phase: .activations, iterations: 200,
                                                                warmupIterations: 0, startLoss: 0.06, nearestLoss: 0.11))))
            for i in stride(from: 50, through: 100, by: 50) {
                records.append(S.record(7 + Double(i) / 100, .iteration(IterationStats(
                    unit: 1, phase: .activations, iteration: i, iterations: 200, reconstructionLoss: 0.058 - Double(i) * 0.0001,
                    regularizerLoss: 0, beta: 0, iterationsPerSecond: 100, hardLoss: i == 100 ? 0.05 : nil))))
            }
        }
        var s = S.state(records)
        s.selectedUnit = 1
        return s
    }

    func renderLoss(_ s: DashboardState, width: Int = 60, height: Int = 16, charset: Charset = .unicode) -> CellGrid {
        var grid = CellGrid(width: width, height: height, charset: charset)
        LossPanelView.draw(s, into: &grid, Rect(x: 0, y: 0, width: width, height: height), focused: true)
        return grid
    }

    func testRegulariserAndBetaHiddenWhileOff() {
        // Warm-up: 100 iterations with the regulariser at 0 and β 0.
        let s = twoPhaseUnit(activationsStarted: false, weightsIterations: 100)
        let text = renderLoss(s).text
        XCTAssertFalse(text.contains("reg"), "the regulariser is off but its legend shows:\n\(text)")
        XCTAssertFalse(text.contains("β"), "β shows while the regulariser is off:\n\(text)")
        XCTAssertFalse(text.contains("e-6"), "a ±1e-6 axis for a zero series:\n\(text)")
        XCTAssertNil(LossPanelView.chart(for: s.units[1], logY: false)!.ticks(rightAxis: true))
    }

    func testRegulariserShownWithItsAxisOnceOn() {
        let s = twoPhaseUnit(activationsStarted: false)
        let chart = LossPanelView.chart(for: s.units[1], logY: false)!
        let right = chart.ticks(rightAxis: true)
        XCTAssertNotNil(right)
        XCTAssertGreaterThanOrEqual(Double(right!.labels[0])!, 26.25, "the right axis covers the regulariser's largest value")
        XCTAssertTrue(renderLoss(s).row(0).contains("reg"))
    }

    func testReferenceLinesLinkTheCurveToBeforeAndAfter() {
        let s = twoPhaseUnit(activationsStarted: false)
        let chart = LossPanelView.chart(for: s.units[1], logY: false)!
        let labels = chart.references.map(\.label)
        XCTAssertEqual(labels, ["rtn 0.087", "hard 0.025"], "plain rounding at the start, the newest hard-rounded loss")
        // The left axis covers both lines as well as the soft curve (0.02…0.047).
        let left = chart.ticks(rightAxis: false)!
        XCTAssertGreaterThanOrEqual(left.high, 0.087)
        XCTAssertLessThanOrEqual(left.low, 0.02)
        let text = renderLoss(s).text
        XCTAssertTrue(text.contains("rtn 0.087"), text)
        XCTAssertTrue(text.contains("hard 0.025"), text)
    }

    func testHardLossFollowsTheLatestMeasurement() {
        let s = twoPhaseUnit(activationsStarted: false)
        XCTAssertEqual(s.units[1].traces[.weights]?.hardLoss ?? .nan, 0.025, accuracy: 1e-12)
        XCTAssertEqual(s.units[1].traces[.weights]?.hardLossIteration, 500)
        XCTAssertEqual(s.units[1].traces[.weights]?.nearestLoss, 0.087)
    }

    func testBothPhasesOfAW4A4UnitStayDistinguishable() {
        let s = twoPhaseUnit(activationsStarted: true)
        XCTAssertEqual(s.units[1].phasesRun, [.weights, .activations])
        XCTAssertEqual(s.units[1].curves[.weights]?.points.count, 10, "the weights phase's curve survives the activations phase")
        let chart = LossPanelView.chart(for: s.units[1], logY: false)!
        XCTAssertEqual(chart.xRange.upperBound, 700, "phases laid end to end: 500 + 200 iterations")
        let roles = chart.series.filter { !$0.rightAxis }.map(\.role)
        XCTAssertEqual(roles, [.recSeries, .meanSeries], "each phase in its own style")
        let acts = chart.series.first { $0.role == .meanSeries }!
        XCTAssertEqual(acts.points.first?.x, 550, "the activations phase starts where the weights phase ended")
        XCTAssertTrue(chart.markers.contains { $0.label == "acts" && $0.x == 500 }, "the boundary is labelled")
        // The activations phase's rtn line is the unit's before (measured like the activations phase).
        XCTAssertTrue(chart.references.contains { $0.label == "rtn 0.110" && $0.xFrom == 500 })
        let text = renderLoss(s).text
        XCTAssertTrue(text.contains("weights") && text.contains("acts"), "the legend names both phases:\n\(text)")
        XCTAssertFalse(text.contains("β"), "β belongs to the weights phase:\n\(text)")
    }

    func testRestartingTheWeightsPhaseDropsTheOldAttempt() {
        var s = twoPhaseUnit(activationsStarted: true)
        s = DashboardReducer.update(s, .engine(S.record(9, .unitStarted(UnitStarted(
            unit: 1, name: "layer1.0", phase: .weights, iterations: 500, warmupIterations: 100, startLoss: 0.087, nearestLoss: 0.087))))).0
        XCTAssertEqual(s.units[1].phasesRun, [.weights])
        XCTAssertEqual(s.units[1].traces[.activations], nil)
    }

    func testOldLogsWithoutReferenceLossesStillChart() {
        let s = S.state(S.midRun())
        let chart = LossPanelView.chart(for: s.units[3], logY: false)!
        XCTAssertTrue(chart.references.isEmpty)
        XCTAssertEqual(chart.series.count, 2, "soft loss and the regulariser, which is on after warm-up")
    }
}
