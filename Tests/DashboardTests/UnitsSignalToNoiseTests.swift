import XCTest
import Engine
@testable import Dashboard

/// Units are compared by a scale-free figure: the output's signal-to-noise
/// ratio. A unit with large activations has a large loss without being worse.
final class UnitsSignalToNoiseTests: XCTestCase {
    typealias S = SyntheticSession

    /// Three finished units: layer3.0 has the largest loss (big activations) but
    /// the best SNR; layer1.0 has a small loss and the worst SNR.
    func finished() -> DashboardState {
        var records = [S.record(0, .sessionStarted(S.info))]
        let results: [(Int, Double, Double, Double, Double)] = [(1, 0.02, 0.013, 14.0, 16.2), (2, 0.08, 0.05, 18.0, 21.5), (3, 0.9, 0.46, 24.0, 27.9)]
        for (unit, before, after, snrBefore, snrAfter) in results {
            records.append(S.record(Double(unit), .unitFinished(UnitFinished(
                unit: unit, name: S.units[unit].name, status: .done, lossBefore: before, lossAfter: after, seconds: 5,
                snrBefore: snrBefore, snrAfter: snrAfter))))
        }
        return S.state(records)
    }

    func testWorstUnitIsTheLowestSNRNotTheLargestLoss() {
        let s = finished()
        XCTAssertTrue(UnitsPanelView.comparesBySNR(s))
        XCTAssertEqual(UnitsPanelView.worstUnit(s), 1, "layer1.0: 16.2 dB, though its loss 0.013 is the smallest")
    }

    func testUnitsListShowsTheSNR() {
        let s = finished()
        for width in [30, 60] {
            var grid = CellGrid(width: width, height: 10, charset: .unicode)
            UnitsPanelView.draw(s, into: &grid, Rect(x: 0, y: 0, width: width, height: 10), focused: false)
            let header = grid.row(1)
            XCTAssertTrue(header.contains(width >= 42 ? "SNR dB" : "dB"), header)
            let row = grid.row(5)   // layer3.0, the fourth unit
            XCTAssertTrue(row.contains("layer3.0") && row.hasSuffix("27.9│"), "SNR right-aligned at the edge: \(row)")
            let worst = grid.row(3)
            let column = worst.unicodeScalars.count - 5
            XCTAssertEqual(grid[column, 3].role, .error, "the worst unit's SNR is marked: \(worst)")
        }
    }

    func testLogRecordsTheSNR() {
        let s = finished()
        XCTAssertTrue(s.log.entries.contains { $0.text.contains("layer1.0 done: 0.020 → 0.013 · SNR 14.0 → 16.2 dB") },
                      s.log.entries.map(\.text).joined(separator: "\n"))
    }

    func testOldLogsFallBackToTheLoss() {
        let s = S.state(S.midRun())
        XCTAssertFalse(UnitsPanelView.comparesBySNR(s))
        XCTAssertEqual(UnitsPanelView.worstUnit(s), 2, "highest final loss when no SNR was recorded")
    }

    func testOverviewNamesTheWorstBySNR() {
        var grid = CellGrid(width: 60, height: 16, charset: .unicode)
        LossPanelView.draw(finished(), into: &grid, Rect(x: 0, y: 0, width: 60, height: 16), focused: false)
        XCTAssertTrue(grid.text.contains("worst: 2 layer1.0 SNR 16.2 dB"), grid.text)
    }

    // MARK: Teaching text

    func testLossTeachingExplainsWhatTheLinesAndSNRMean() {
        let text = TeachingText.text(for: .loss)
        XCTAssertFalse(text.contains("has too few bits"), "a high absolute loss does not mean too few bits")
        XCTAssertTrue(text.contains("'rtn'") && text.contains("'hard'"), "the reference lines are explained")
        XCTAssertTrue(text.contains("compare blocks by their SNR"))
        XCTAssertTrue(TeachingText.text(for: .units).contains("10·log10"), "the SNR's definition")
    }

    func testEveryTeachingTextFitsAt80x24() {
        for panel in Panel.allCases {
            var s = S.state(S.midRun())
            s.overlay = .teaching(panel)
            let screen = DashboardView.render(s, size: TerminalSize(width: 80, height: 24), charset: .unicode).text
            // The text's last line (wrapped as the overlay wraps it) is on screen, above the hint.
            let lines = OverlayView.wrap(TeachingText.text(for: panel, state: s), width: 70)
            XCTAssertTrue(screen.contains(lines.last!), "\(panel): the text is cut before '\(lines.last!)':\n\(screen)")
        }
    }

    func testSearchTeachingSaysWhatIsMinimisedUnderWhichBudget() {
        let text = TeachingText.text(for: .search)
        XCTAssertFalse(text.contains("lose least accuracy"), "the search does not measure accuracy")
        XCTAssertTrue(text.contains("Fisher"))
        XCTAssertTrue(text.contains("minimises the sum of these errors over all blocks"))
        for budget in ["model size", "average weight bits", "bit operations", "latency"] {
            XCTAssertTrue(text.contains(budget), "budget \(budget) not named")
        }
        // With a search under way, the overlay names its budget.
        var s = S.state(S.midRun())
        s = DashboardReducer.update(s, .engine(S.record(70, .searchStarted(SearchStarted(
            generations: 5, population: 8, measure: "size", budget: 975_000, uniform4Cost: 1_300_000,
            budgetKind: "relative", budgetAmount: 0.75, unit: "bits"))))).0
        XCTAssertTrue(TeachingText.text(for: .search, state: s).hasSuffix("This search: size ≤ 0.75× W4."))
    }
}
