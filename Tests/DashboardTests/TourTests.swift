import XCTest
import Engine
@testable import Dashboard

/// The guided tour (issue #16 item 8): its keys, that each step shows what it
/// explains, and one step on screen, on the bundled recording.
final class TourTests: XCTestCase {
    typealias S = SyntheticSession
    let small = TerminalSize(width: 80, height: 24)

    func press(_ s: DashboardState, _ key: Key) -> (DashboardState, [Effect]) { DashboardReducer.update(s, .key(key)) }

    /// The bundled recording (Examples/tour/run.jsonl), as `brecq tour` plays it.
    func tourReplay() throws -> ReplaySession {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let recording = try Recording.load(path: root.appendingPathComponent("Examples/tour/run.jsonl").path)
        return ReplaySession(records: recording.records, speed: 1)
    }

    /// Reduces a message and answers its replay commands as the app loop does.
    func dispatch(_ s: DashboardState, _ msg: Msg, _ replay: ReplaySession) -> DashboardState {
        let (next, effects) = DashboardReducer.update(s, msg)
        var state = next
        for case .replay(let command) in effects {
            if let answer = replay.perform(command) { state = dispatch(state, answer, replay) }
        }
        return state
    }

    func startedTour(size: TerminalSize? = nil) throws -> (DashboardState, ReplaySession) {
        let replay = try tourReplay()
        var s = DashboardState(mode: .replay(ReplayStatus(paused: false)), size: size ?? small)
        s = dispatch(s, .replayProgress(replay.progress), replay)
        return (dispatch(s, .key(.character("w")), replay), replay)
    }

    func testNextPreviousAndLeave() throws {
        var (s, replay) = try startedTour()
        XCTAssertEqual(s.overlay, .tour(0))
        guard case .replay(let status) = s.mode else { return XCTFail("not a replay") }
        XCTAssertTrue(status.paused, "the tour pauses the replay so the screen stays still under the text")
        for (key, expected) in [(Key.right, 1), (.character("n"), 2), (.enter, 3), (.left, 2), (.character("p"), 1), (.left, 0), (.left, 0)] {
            s = dispatch(s, .key(key), replay)
            XCTAssertEqual(s.overlay, .tour(expected), "\(key)")
        }
        // Past the last step the tour ends; Esc leaves it anywhere, the replay staying where it is.
        for _ in 0..<TourStep.steps.count { s = dispatch(s, .key(.right), replay) }
        XCTAssertNil(s.overlay)
        (s, replay) = try startedTour()
        s = dispatch(s, .key(.right), replay)
        let before = s.mode
        s = dispatch(s, .key(.escape), replay)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.mode, before, "leaving the tour leaves the replay as it stands")
        XCTAssertEqual(s.units.count, 11)
    }

    /// Each step focuses its panel, stands where its text says, and selects a finished unit for the charts.
    func testEachStepFocusesItsPanelAndPosition() throws {
        var (s, replay) = try startedTour()
        for (i, step) in TourStep.steps.enumerated() {
            XCTAssertEqual(s.overlay, .tour(i))
            XCTAssertEqual(s.focus, step.focus, step.title)
            switch TourStep.position(at: i) {
            case .unitNumber(let n):
                // "after unit 3": units 1–3 done, unit 4 running, as the header text says.
                XCTAssertEqual(s.currentUnit, n - 1, step.title)
                XCTAssertEqual(s.unitsDone, n - 1, step.title)
                XCTAssertEqual(s.runState, .running, step.title)
            case .fraction(1):
                XCTAssertEqual(s.runState, .done, step.title)
                XCTAssertNotNil(s.analysis, step.title)
            default:
                XCTFail("step \(i) has no position")
            }
            if let unit = step.selectUnit {
                XCTAssertEqual(s.selectedUnit, unit, step.title)
                XCTAssertEqual(s.units[unit].status, .done, "the chart of a finished unit: \(step.title)")
                XCTAssertNotNil(s.units[unit].rounding, "rounding events recorded for \(step.title)")
            }
            s = dispatch(s, .key(.right), replay)
        }
        // Going back re-seeks: from the analysis (at the end) to the bits, which stand after unit 3 again.
        (s, replay) = try startedTour()
        for _ in 0..<5 { s = dispatch(s, .key(.right), replay) }
        XCTAssertEqual(s.overlay, .tour(5))
        XCTAssertEqual(s.runState, .done)
        s = dispatch(s, .key(.left), replay)
        XCTAssertEqual(s.overlay, .tour(4))
        XCTAssertEqual(s.currentUnit, 3, "back to the step's own position")
    }

    /// The help overlay's `w` starts the tour (and lists it); in a live session too, where nothing is sought.
    func testHelpKeyStartsTheTour() {
        let live = S.state(S.midRun())
        let help = press(live, .character("?")).0
        XCTAssertEqual(help.overlay, .help)
        XCTAssertTrue(KeyBindings.forState(help).contains { $0.keys == "w" })
        let (touring, effects) = press(help, .character("w"))
        XCTAssertEqual(touring.overlay, .tour(0))
        XCTAssertEqual(touring.focus, TourStep.steps[0].focus)
        XCTAssertTrue(effects.isEmpty, "a live run is neither paused nor sought by the tour: \(effects)")
        // q in the tour of a running session asks first, as q always does.
        XCTAssertEqual(press(touring, .character("q")).0.overlay, .quitConfirm)
    }

    func testTourStepSnapshot() throws {
        var (s, replay) = try startedTour()
        s = dispatch(s, .key(.right), replay)
        s = dispatch(s, .key(.right), replay)
        // The notice names the position; the snapshot keeps it (it is deterministic).
        assertSnapshot(DashboardView.render(s, size: small, charset: .unicode), named: "tour-loss-80x24-utf8")
        assertSnapshot(DashboardView.render(s, size: small, charset: .ascii), named: "tour-loss-80x24-ascii")
    }
}
