import XCTest
import Engine
import Quantization
@testable import Dashboard

final class KeyReducerTests: XCTestCase {
    typealias S = SyntheticSession

    var running: DashboardState { S.state(S.midRun()) }

    func press(_ state: DashboardState, _ keys: Key...) -> (DashboardState, [Effect]) { S.press(state, keys) }

    func type(_ state: DashboardState, _ text: String) -> (DashboardState, [Effect]) {
        var s = state, all: [Effect] = []
        for c in text { let r = press(s, .character(c)); s = r.0; all += r.1 }
        return (s, all)
    }

    func testSpacePausesAndResumes() {
        XCTAssertEqual(press(running, .character(" ")).1, [.send(.pause)])
        var paused = running
        paused.runState = .paused
        XCTAssertEqual(press(paused, .character(" ")).1, [.send(.resume)])
        var done = running
        done.runState = .done
        XCTAssertEqual(press(done, .character(" ")).1, [])
    }

    func testPlusMinusStepIterations() {
        // 2000 iterations: a tenth is 200, on the 1-2-5 ladder 200.
        XCTAssertEqual(press(running, .character("+")).1, [.send(.setIterations(current: 2200, default: 2200))])
        XCTAssertEqual(press(running, .character("-")).1, [.send(.setIterations(current: 1800, default: 1800))])
        XCTAssertEqual(press(running, .character("=")).1, press(running, .character("+")).1)
        // Never below the iterations already done.
        var nearEnd = running
        nearEnd.currentIterations = 1050
        XCTAssertEqual(press(nearEnd, .character("-")).1, [.send(.setIterations(current: 1001, default: 1900))])
    }

    func testNiceStep() {
        XCTAssertEqual(DashboardReducer.niceStep(20_000), 2000)
        XCTAssertEqual(DashboardReducer.niceStep(700), 50)
        XCTAssertEqual(DashboardReducer.niceStep(150), 10)
        XCTAssertEqual(DashboardReducer.niceStep(5), 1)
    }

    func testIterationsFormTypesANumber() {
        var (s, effects) = press(running, .character("i"))
        guard case .iterations(let form) = s.overlay else { return XCTFail("no form") }
        XCTAssertEqual(form.current, "2000")
        XCTAssertEqual(form.remaining, "2000")
        (s, effects) = type(s, "3500")
        (s, effects) = press(s, .tab)
        (s, effects) = type(s, "1000")
        (s, effects) = press(s, .enter)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(effects, [.send(.setIterations(current: 3500, default: 1000))])
    }

    func testIterationsFormValidatesAndEscapes() {
        var (s, effects) = press(running, .character("i"), .backspace, .backspace, .backspace, .backspace, .character("0"))
        guard case .iterations(let form) = s.overlay else { return XCTFail("no form") }
        XCTAssertNotNil(form.error)
        (s, effects) = press(s, .enter)
        XCTAssertEqual(effects, [])
        XCTAssertNotNil(s.overlay)
        (s, effects) = press(s, .escape)
        XCTAssertNil(s.overlay)
        // An empty field means unchanged.
        (s, effects) = press(running, .character("i"), .backspace, .backspace, .backspace, .backspace, .enter)
        XCTAssertEqual(effects, [.send(.setIterations(current: nil, default: 2000))])
    }

    func testLockToggleAndBitCycle() {
        var s = running
        s.selectedLayer = 6 // layer3.0.conv1, W4 unlocked, in the running unit
        XCTAssertEqual(press(s, .character("x")).1, [.send(.lock(layer: "layer3.0.conv1", wbits: 4, abits: 8))],
                       "a lock at the same bits is sent without asking: it does not restart the unit")
        s.selectedLayer = 8 // fc, W8 locked, in a unit not started
        XCTAssertEqual(press(s, .character("x")).1, [.send(.unlock(layer: "fc"))])
        XCTAssertEqual(press(s, .character("b")).1, [.send(.lock(layer: "fc", wbits: 2, abits: 8))])
        XCTAssertEqual(press(DashboardState(), .character("x")).1, [], "no layers before the session starts")
    }

    func testRestartSkipEvaluateSearch() {
        XCTAssertEqual(press(running, .character("r")).1, [.send(.restartUnit)])
        XCTAssertEqual(press(running, .character("n")).1, [.send(.skipUnit)])
        XCTAssertEqual(press(running, .character("v")).1, [.send(.evaluate(images: 1000))])
        XCTAssertEqual(press(running, .character("m")).1, [.send(.startSearch)])
        let idle = S.state([S.record(0, .sessionStarted(S.info))])
        XCTAssertEqual(press(idle, .character("r")).1, [], "nothing to restart")
        XCTAssertEqual(press(idle, .character("n")).1, [])
    }

    func testFocusKeys() {
        XCTAssertEqual(press(running, .tab).0.focus, .loss)
        XCTAssertEqual(press(running, .backTab).0.focus, .log)
        XCTAssertEqual(press(running, .right).0.focus, .loss)
        XCTAssertEqual(press(running, .character("l")).0.focus, .loss)
        XCTAssertEqual(press(running, .left).0.focus, .log)
        XCTAssertEqual(press(running, .character("h")).0.focus, .log)
        XCTAssertEqual(press(running, .character("3")).0.focus, .bits)
        XCTAssertEqual(press(running, .character("5")).0.focus, .log)
    }

    func testSelectionKeysPerPanel() {
        var (s, _) = press(running, .up)
        XCTAssertEqual(s.selectedUnit, 2)
        XCTAssertFalse(s.followRunning)
        (s, _) = press(s, .character("j"))
        XCTAssertEqual(s.selectedUnit, 3)
        XCTAssertTrue(s.followRunning, "back on the running unit follows it again")
        (s, _) = press(s, .home)
        XCTAssertEqual(s.selectedUnit, 0)
        (s, _) = press(s, .end)
        XCTAssertEqual(s.selectedUnit, 4)
        (s, _) = press(s, .pageUp)
        XCTAssertEqual(s.selectedUnit, 0)
        (s, _) = press(s, .character("3"), .down, .down, .character("k"), .pageDown)
        XCTAssertEqual(s.selectedLayer, 8)
        (s, _) = press(s, .character("5"), .up, .up)
        XCTAssertEqual(s.logScroll, 2)
        (s, _) = press(s, .down)
        XCTAssertEqual(s.logScroll, 1)
    }

    func testOverlaysHelpAndTeaching() {
        var (s, _) = press(running, .character("?"))
        XCTAssertEqual(s.overlay, .help)
        XCTAssertEqual(press(s, .character(" ")).1, [], "the overlay takes the keys")
        (s, _) = press(s, .escape)
        XCTAssertNil(s.overlay)
        (s, _) = press(running, .function(1))
        XCTAssertEqual(s.overlay, .help)
        (s, _) = press(running, .character("t"))
        XCTAssertEqual(s.overlay, .teaching(.units))
        (s, _) = press(s, .tab)
        XCTAssertEqual(s.overlay, .teaching(.loss))
        XCTAssertEqual(s.focus, .loss)
        (s, _) = press(s, .character("t"))
        XCTAssertNil(s.overlay)
    }

    func testLogScaleAndThemeCycle() {
        XCTAssertTrue(press(running, .character("y")).0.logScale)
        XCTAssertFalse(press(running, .character("y"), .character("y")).0.logScale)
        let themed = DashboardState(themeNames: ["default", "light", "mono"], themeIndex: 2)
        XCTAssertEqual(press(themed, .character("T")).1, [.loadTheme(index: 0)])
        XCTAssertEqual(press(DashboardState(), .character("T")).1, [])
    }

    func testQuitConfirmsWhileRunningThenWaitsForStop() {
        var (s, effects) = press(running, .character("q"))
        XCTAssertEqual(s.overlay, .quitConfirm)
        XCTAssertEqual(effects, [])
        (s, effects) = press(s, .character("n"))
        XCTAssertNil(s.overlay)
        (s, effects) = press(s, .character("q"), .character("y"))
        XCTAssertEqual(effects, [.send(.stop)])
        XCTAssertTrue(s.quitPending)
        XCTAssertEqual(HeaderView.stateLabel(s), "STOPPING")
        // The engine confirms: the dashboard leaves.
        XCTAssertEqual(DashboardReducer.update(s, .engine(EventRecord(time: 70, event: .stateChanged(.stopped)))).1,
                       [.quit(.userQuit(stoppedSession: true))])
        // Or a second q leaves at once.
        XCTAssertEqual(press(s, .character("q")).1, [.quit(.userQuit(stoppedSession: true))])
    }

    func testQuitImmediatelyWhenDone() {
        var done = running
        done.runState = .done
        XCTAssertEqual(press(done, .character("q")).1, [.quit(.userQuit(stoppedSession: false))])
    }

    func testHyperparameterFormEditValidateApply() {
        var (s, effects) = press(running, .character("e"))
        guard case .hyperparameters = s.overlay else { return XCTFail("no form") }
        // λ: typing replaces the field.
        (s, effects) = type(s, "0.05")
        (s, effects) = press(s, .down) // lr
        (s, effects) = type(s, "2")    // lr 2 is out of range
        guard case .hyperparameters(let bad) = s.overlay else { return XCTFail() }
        XCTAssertEqual(bad.error, Hyperparameters.init().with { $0.roundWeight = 0.05; $0.learningRate = 2 }.validationError())
        (s, effects) = press(s, .enter)
        XCTAssertEqual(effects, [], "invalid values are not sent")
        (s, effects) = press(s, .backspace)
        (s, effects) = type(s, "0.002")
        // Jump to loss (3 fields down from lr … 7 - 1 = 6) and toggle it to fisher, then restart on.
        (s, effects) = press(s, .down, .down, .down, .down, .down, .down, .character(" "))
        (s, effects) = press(s, .down, .down, .character(" "))
        guard case .hyperparameters(let form) = s.overlay else { return XCTFail() }
        XCTAssertNil(form.error)
        XCTAssertEqual(form.loss, .fisher)
        XCTAssertTrue(form.restartCurrent)
        (s, effects) = press(s, .enter)
        var expected = Hyperparameters()
        expected.roundWeight = 0.05
        expected.learningRate = 0.002
        expected.loss = .fisher
        XCTAssertEqual(effects, [.send(.setHyperparameters(expected, restartCurrent: true))])
        XCTAssertNil(s.overlay)
    }

    func testHyperparameterFormRejectsText() {
        var (s, _) = press(running, .character("e"), .down, .down, .down, .down, .down) // batch size
        (s, _) = type(s, "1.5")
        guard case .hyperparameters(let form) = s.overlay else { return XCTFail() }
        XCTAssertEqual(form.error, "batch size: not a whole number")
        (s, _) = press(s, .escape)
        XCTAssertNil(s.overlay)
    }

    func testReplayKeysControlSpeedNotEngine() {
        let replay = S.state(S.midRun(), from: DashboardState(mode: .replay(ReplayStatus())))
        var (s, effects) = press(replay, .character(" "))
        XCTAssertEqual(effects, [.replay(.setPaused(true))])
        if case .replay(let status) = s.mode { XCTAssertTrue(status.paused) } else { XCTFail("not a replay") }
        // `=` is `+` without Shift; `<` `>` seek now (LectureReplayTests).
        (s, effects) = press(replay, .character("+"), .character("="))
        XCTAssertEqual(effects, [.replay(.setSpeed(2)), .replay(.setSpeed(4))])
        (s, effects) = press(s, .character("-"))
        XCTAssertEqual(effects, [.replay(.setSpeed(2))])
        (s, effects) = press(replay, .character("-"), .character("_"), .character("-"), .character("-"))
        XCTAssertEqual(effects.last, .replay(.setSpeed(0.25)), "the slowest speed holds")
        for key in ["x", "b", "r", "n", "v", "m", "i", "e", "o"] {
            XCTAssertEqual(press(replay, .character(Character(key))).1, [], "key \(key) sends nothing in a replay")
        }
        XCTAssertEqual(press(replay, .character("q")).1, [.quit(.userQuit(stoppedSession: false))], "no confirmation in a replay")
    }

    func testEscapeClearsNoticeAndUnknownKeysDoNothing() {
        var s = running
        s.notify("x")
        XCTAssertNil(press(s, .escape).0.notice)
        XCTAssertEqual(press(running, .character("Z")).1, [])
        XCTAssertEqual(press(running, .character("Z")).0, running)
    }

    func testExportOpensAPathFormOnlyWhenTheRunIsDone() {
        let (early, effects) = press(running, .character("o"))
        XCTAssertEqual(effects, [])
        XCTAssertNil(early.overlay)
        XCTAssertEqual(early.notice?.isError, true, "a run still working cannot be exported")

        var done = running
        done.runState = .done
        done.lastCheckpoint = CheckpointWritten(path: "/runs/resnet-W4A4", unitsDone: 5)
        var (s, sent) = press(done, .character("o"))
        XCTAssertEqual(s.overlay, .export(ExportForm(path: "/runs/resnet-W4A4.onnx")), "beside the checkpoint, in full")
        XCTAssertEqual(sent, [])
        (s, sent) = press(s, .backspace, .backspace, .backspace, .backspace, .backspace)
        (s, sent) = type(s, "qdq.onnx")
        XCTAssertEqual(s.overlay, .export(ExportForm(path: "/runs/resnet-W4A4qdq.onnx")))
        (s, sent) = press(s, .enter)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(sent, [.send(.export(checkpoint: "/runs/resnet-W4A4", output: "/runs/resnet-W4A4qdq.onnx"))],
                       "the engine exports; the dashboard only asks")

        (s, _) = press(done, .character("o"))
        for _ in 0..<40 { (s, _) = press(s, .backspace) }
        (s, sent) = press(s, .enter)
        XCTAssertEqual(sent, [], "an empty path is not exported")
        guard case .export(let form)? = s.overlay else { return XCTFail("the form stays open") }
        XCTAssertNotNil(form.error)
        XCTAssertNil(press(s, .escape).0.overlay)
    }
}

extension Hyperparameters {
    func with(_ change: (inout Hyperparameters) -> Void) -> Hyperparameters { var h = self; change(&h); return h }
}
