import XCTest
import Engine
@testable import Dashboard

/// The search panel is live: the sensitivity measurement shows its progress,
/// generations computed faster than the eye are played back one per
/// `SearchProgress.revealInterval` on the dashboard's ticks, and the cost is
/// given in the budget's own terms.
final class SearchPanelTests: XCTestCase {
    typealias S = SyntheticSession

    func apply(_ state: DashboardState, _ event: EngineEvent, time: Double) -> DashboardState {
        DashboardReducer.update(state, .engine(EventRecord(time: time, event: event))).0
    }

    func tick(_ state: DashboardState, _ now: Double) -> DashboardState { DashboardReducer.update(state, .tick(now: now)).0 }

    static let avgBitsStart = SearchStarted(generations: 15, population: 20, measure: "size", budget: 1_000_000, uniform4Cost: 1_300_000,
                                            budgetKind: "avgbits", budgetAmount: 3, unit: "bits")

    static func generation(_ g: Int, of total: Int = 15) -> GenerationStats {
        GenerationStats(generation: g, generations: total, bestObjective: 1 / Double(g), meanObjective: 2 / Double(g), feasible: 18,
                        population: 20, bestBits: [2, 4, 4, 8], bestCost: 990_000, budget: 1_000_000, bestAverageBits: 2.99)
    }

    /// A session whose search computed all 15 generations within 2 ms.
    func burstSearch() -> DashboardState {
        var s = S.state(S.midRun())
        s = apply(s, .stateChanged(.searching), time: 70)
        s = apply(s, .searchStarted(Self.avgBitsStart), time: 70)
        for g in 1...15 { s = apply(s, .searchGeneration(Self.generation(g)), time: 70 + Double(g) * 0.0001) }
        return s
    }

    func testTicksRevealOneGenerationAtATime() {
        var s = burstSearch()
        XCTAssertEqual(s.search?.received?.generation, 15, "every generation is recorded")
        XCTAssertNil(s.search?.latest, "none is on screen before the dashboard's clock runs")
        s.now = 100
        s = tick(s, 100.0)
        XCTAssertEqual(s.search?.latest?.generation, 1)
        // Ticks faster than the pace reveal nothing new.
        s = tick(s, 100.05)
        s = tick(s, 100.10)
        XCTAssertEqual(s.search?.latest?.generation, 1)
        var shown = [1]
        var now = 100.10
        while s.search?.isCatchingUp == true {
            now += 0.05
            s = tick(s, now)
            if let g = s.search?.latest?.generation, g != shown.last { shown.append(g) }
            XCTAssertLessThan(now, 104, "the playback must finish")
        }
        XCTAssertEqual(shown, Array(1...15), "one generation at a time, none skipped")
        // 14 further reveals at ≥ 0.15 s each.
        XCTAssertGreaterThanOrEqual(now - 100, 14 * SearchProgress.revealInterval - 1e-9)
    }

    func testSlowSearchIsShownAsSoonAsEachGenerationArrives() {
        var s = S.state(S.midRun())
        s = apply(s, .searchStarted(Self.avgBitsStart), time: 70)
        for g in 1...3 {
            s = apply(s, .searchGeneration(Self.generation(g)), time: 70 + Double(g))
            s = tick(s, 200 + Double(g))
            XCTAssertEqual(s.search?.latest?.generation, g)
            XCTAssertEqual(s.search?.isCatchingUp, false)
        }
    }

    func testPlaybackSaysHowFarTheEngineIs() {
        var s = burstSearch()
        s = tick(s, 100)
        s.focus = .search
        let text = DashboardView.render(s, size: TerminalSize(width: 80, height: 24), charset: .unicode).text
        XCTAssertTrue(text.contains("gen 1/15 (15 computed)"), text)
    }

    func testBoundedHistoryKeepsThePlaybackPosition() {
        var progress = SearchProgress(started: Self.avgBitsStart)
        progress.generations = (1...10).map { Self.generation($0, of: 10) }
        progress.shownCount = 6
        progress.dropOldest(4)
        XCTAssertEqual(progress.latest?.generation, 6, "the same generation stays on screen")
    }

    // MARK: Cost in the budget's unit

    func testCostInAverageBits() {
        var p = SearchProgress(started: Self.avgBitsStart)
        p.generations = [Self.generation(1)]
        p.shownCount = 1
        let line = p.costLine!
        XCTAssertEqual("\(line.label) \(line.cost) / \(line.limit)", "avg bits 2.99 / 3.00")
    }

    func testCostRelativeToUniform4Bit() {
        var p = SearchProgress(started: SearchStarted(generations: 5, population: 8, measure: "size", budget: 975_000,
                                                      uniform4Cost: 1_300_000, budgetKind: "relative", budgetAmount: 0.75, unit: "bits"))
        p.generations = [GenerationStats(generation: 1, generations: 5, bestObjective: 1, meanObjective: 2, feasible: 8, population: 8,
                                         bestBits: [4], bestCost: 962_000, budget: 975_000)]
        p.shownCount = 1
        let line = p.costLine!
        XCTAssertEqual("\(line.label) \(line.cost) / \(line.limit)", "size 0.740× / 0.750× of W4")
    }

    func testCostInBOPsAndLatencyCarriesTheUnit() {
        for (measure, unit, cost, budget, expected) in [("bops", "BOPs", 1.18e9, 1.2e9, "bops 1.18G BOPs / 1.20G BOPs"),
                                                        ("latency", "µs", 341, 350, "latency 341 µs / 350 µs")] {
            var p = SearchProgress(started: SearchStarted(generations: 5, population: 8, measure: measure, budget: budget,
                                                          uniform4Cost: .nan, budgetKind: "absolute", budgetAmount: budget, unit: unit))
            p.generations = [GenerationStats(generation: 1, generations: 5, bestObjective: 1, meanObjective: 2, feasible: 8,
                                             population: 8, bestBits: [4], bestCost: cost, budget: budget)]
            p.shownCount = 1
            let line = p.costLine!
            XCTAssertEqual("\(line.label) \(line.cost) / \(line.limit)", expected)
        }
    }

    func testOldLogsWithoutBudgetDetailsStillNameTheUnit() {
        var p = SearchProgress(started: SearchStarted(generations: 5, population: 8, measure: "size", budget: 40_000, uniform4Cost: 43_780))
        p.generations = [GenerationStats(generation: 1, generations: 5, bestObjective: 1, meanObjective: 2, feasible: 8,
                                         population: 8, bestBits: [4], bestCost: 39_200, budget: 40_000)]
        p.shownCount = 1
        let line = p.costLine!
        XCTAssertEqual("\(line.label) \(line.cost) / \(line.limit)", "size 39.20k bits / 40.00k bits")
    }

    // MARK: Sensitivity

    func sensitivityState(done: Int, seconds: Double) -> DashboardState {
        var s = S.state(S.midRun())
        s = apply(s, .stateChanged(.searching), time: 70)
        s = apply(s, .searchSensitivity(SensitivityProgress(unit: "", done: 0, total: 400, seconds: 0)), time: 70)
        s = apply(s, .searchSensitivity(SensitivityProgress(unit: "layer2.0", done: done, total: 400, seconds: seconds)),
                  time: 70 + seconds)
        s.focus = .search
        return s
    }

    func testSensitivityProgressAndEstimate() {
        let s = sensitivityState(done: 100, seconds: 20)
        XCTAssertEqual(s.sensitivity?.eta ?? 0, 60, accuracy: 1e-9, "300 left at 5 per second")
        XCTAssertNil(s.search, "no generations yet")
        XCTAssertTrue(s.log.entries.contains { $0.text == "sensitivity: measuring 400 error evaluations" })
    }

    func testSensitivityViewSnapshot() {
        let s = sensitivityState(done: 100, seconds: 20)
        let grid = DashboardView.render(s, size: TerminalSize(width: 80, height: 24), charset: .unicode)
        assertSnapshot(grid, named: "search-sensitivity-80x24-utf8")
        let text = grid.text
        XCTAssertTrue(text.contains("measuring sensitivity"), text)
        XCTAssertTrue(text.contains("100/400"), text)
        XCTAssertTrue(text.contains("ETA 1m00s"), text)
        XCTAssertFalse(text.contains("no search yet"), text)
    }

    func testTheSearchPanelKeepsWhatTheMeasurementTook() {
        var s = sensitivityState(done: 400, seconds: 81)
        s = apply(s, .searchStarted(Self.avgBitsStart), time: 152)
        s = apply(s, .searchGeneration(Self.generation(1)), time: 152)
        s = tick(s, 1)
        let text = DashboardView.render(s, size: TerminalSize(width: 80, height: 24), charset: .unicode).text
        XCTAssertTrue(text.contains("sensitivity: 400 error evaluations in 1m21s"), text)
        XCTAssertTrue(text.contains("avg bits 2.99 / 3.00"), text)
        XCTAssertTrue(text.contains("size ≤ 3 avg bits"), text)
    }

    func testANewSearchShowsItsMeasurementAndAFailedOneGivesTheOldPanelBack() {
        var s = S.playedBack(burstSearch())
        s.focus = .search
        s = apply(s, .stateChanged(.running), time: 80)
        s = apply(s, .stateChanged(.searching), time: 90)
        s = apply(s, .searchSensitivity(SensitivityProgress(unit: "", done: 0, total: 400, seconds: 0)), time: 90)
        let size = TerminalSize(width: 80, height: 24)
        XCTAssertTrue(DashboardView.render(s, size: size, charset: .unicode).text.contains("measuring sensitivity"))
        // The budget was rejected: an error, and the state goes back.
        s = apply(s, .message(Message(level: .error, text: "search: the budget is below the cheapest configuration")), time: 90)
        s = apply(s, .stateChanged(.running), time: 90)
        XCTAssertNil(s.sensitivity)
        let text = DashboardView.render(s, size: size, charset: .unicode).text
        XCTAssertTrue(text.contains("gen 15/15"), "the last search is shown again:\n\(text)")
    }
}
