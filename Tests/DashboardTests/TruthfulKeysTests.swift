import Foundation
import XCTest
import Engine
import Quantization
@testable import Dashboard

/// Issue #15 item 5: keys do what they say, or say why they cannot.
final class TruthfulKeysTests: XCTestCase {
    typealias S = SyntheticSession

    var running: DashboardState { S.state(S.midRun(), from: DashboardState(size: TerminalSize(width: 80, height: 24))) }

    func press(_ state: DashboardState, _ keys: Key...) -> (DashboardState, [Effect]) { S.press(state, keys) }

    func engine(_ state: DashboardState, _ event: EngineEvent, at time: Double = 70) -> DashboardState {
        DashboardReducer.update(state, .engine(EventRecord(time: time, event: event))).0
    }

    // MARK: Too small

    func testNoKeyButQActsBehindTheTooSmallScreen() {
        let small = DashboardReducer.update(running, .resize(TerminalSize(width: 79, height: 24))).0
        let keys: [Key] = [.character("n"), .character("r"), .character(" "), .character("+"), .character("-"), .character("x"),
                           .character("b"), .character("v"), .character("m"), .character("i"), .character("e"), .character("?"),
                           .character("t"), .character("T"), .character("y"), .character("3"), .tab, .down, .enter, .escape]
        for key in keys {
            let (next, effects) = press(small, key)
            XCTAssertEqual(effects, [], "\(key) sent something behind the too-small screen")
            XCTAssertEqual(next, small, "\(key) changed the state behind the too-small screen")
        }
        // An overlay opened before shrinking does not take keys either.
        var withForm = press(running, .character("i")).0
        withForm = DashboardReducer.update(withForm, .resize(TerminalSize(width: 60, height: 20))).0
        XCTAssertEqual(press(withForm, .character("5"), .enter).1, [], "a hidden form submitted nothing")
    }

    func testQOnTheTooSmallScreenStopsTheRunThenLeaves() {
        let small = DashboardReducer.update(running, .resize(TerminalSize(width: 60, height: 20))).0
        var (s, effects) = press(small, .character("q"))
        XCTAssertEqual(effects, [.send(.stop)])
        XCTAssertTrue(s.quitPending)
        (s, effects) = press(s, .character("q"))
        XCTAssertEqual(effects, [.quit(.userQuit(stoppedSession: true))])
        var done = small
        done.runState = .done
        XCTAssertEqual(press(done, .character("q")).1, [.quit(.userQuit(stoppedSession: false))])
        XCTAssertTrue(DashboardView.render(small, size: small.size, charset: .unicode).text.contains("q stops the run"))
    }

    // MARK: Steps add up

    func testQuickPlusPressesAddUp() {
        // 2000 iterations, a step of 200: three presses before the engine answers ask for 2200, 2400, 2600.
        let (s, effects) = press(running, .character("+"), .character("+"), .character("+"))
        XCTAssertEqual(effects, [
            .send(.setIterations(current: 2200, default: 2200)),
            .send(.setIterations(current: 2400, default: 2400)),
            .send(.setIterations(current: 2600, default: 2600)),
        ])
        // The engine confirms them one by one; only the last confirmation ends the pending request.
        var after = engine(s, .iterationsChanged(IterationsChange(unit: 3, currentIterations: 2200, defaultIterations: 2200)))
        XCTAssertEqual(press(after, .character("-")).1, [.send(.setIterations(current: 2400, default: 2400))],
                       "a press while requests are in flight steps from the newest request")
        after = engine(after, .iterationsChanged(IterationsChange(unit: 3, currentIterations: 2400, defaultIterations: 2400)))
        after = engine(after, .iterationsChanged(IterationsChange(unit: 3, currentIterations: 2600, defaultIterations: 2600)))
        XCTAssertNil(after.pendingIterations)
        XCTAssertEqual(after.currentIterations, 2600)
        XCTAssertEqual(press(after, .character("+")).1, [.send(.setIterations(current: 2800, default: 2800))])
    }

    func testPendingStepsForAFinishedUnitKeepOnlyTheDefault() {
        var s = press(running, .character("+")).0
        s = engine(s, .unitFinished(UnitFinished(unit: 3, name: "layer3.0", status: .done, lossBefore: 0.6, lossAfter: 0.3, seconds: 20)))
        XCTAssertEqual(press(s, .character("+")).1, [.send(.setIterations(current: nil, default: 2400))])
    }

    // MARK: Locks

    func testBitsOnTheRunningUnitAskFirst() {
        var s = running
        s.selectedLayer = 6 // layer3.0.conv1 of the running unit 4
        var effects: [Effect]
        (s, effects) = press(s, .character("b"))
        XCTAssertEqual(effects, [], "nothing is sent before the user agrees")
        guard case .confirmLock(let request)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(request.wbits, 8)
        XCTAssertEqual(request.iterationsDone, 1000)
        let text = DashboardView.render(s, size: s.size, charset: .unicode).text
        XCTAssertTrue(text.contains("restarts"), text)
        XCTAssertTrue(text.contains("1000 iterations"), text)
        XCTAssertEqual(press(s, .character("n")).1, [])
        XCTAssertNil(press(s, .character("n")).0.overlay)
        XCTAssertEqual(press(s, .escape).1, [])
        XCTAssertEqual(press(s, .character("y")).1, [.send(.lock(layer: "layer3.0.conv1", wbits: 8, abits: 8))])
    }

    /// A layer of a finished unit: `x` locks it at its bits (nothing to re-run);
    /// `b` asks first, naming the units that run again. After the run both say why not.
    func testLocksOfFinishedUnitsAskToReRunOrAreRefusedAfterTheRun() {
        var s = running
        s.selectedLayer = 1 // layer1.0.conv1, unit 2, done
        XCTAssertEqual(press(s, .character("x")).1, [.send(.lock(layer: "layer1.0.conv1", wbits: 4, abits: 8))])
        let (asked, effects) = press(s, .character("b"))
        XCTAssertEqual(effects, [])
        guard case .confirmRewind(let request)? = asked.overlay else { return XCTFail("expected the re-run confirmation") }
        XCTAssertEqual(request.lock, RewindRequest.Lock(layer: "layer1.0.conv1", wbits: 8, abits: 8))
        s.runState = .done
        for key in ["x", "b"] {
            let (next, effects) = press(s, .character(Character(key)))
            XCTAssertEqual(effects, [])
            XCTAssertEqual(next.notice?.isError, true)
            XCTAssertTrue(next.notice?.text.contains("already reconstructed") ?? false, next.notice?.text ?? "")
        }
    }

    // MARK: After the run

    func testEvaluateAndSearchAfterTheRunSayWhy() {
        for end in [RunState.done, .stopped, .error] {
            var s = running
            s.runState = end
            for key in ["v", "m"] {
                let (next, effects) = press(s, .character(Character(key)))
                XCTAssertEqual(effects, [], "\(key) after \(end) would go to an engine that no longer reads commands")
                XCTAssertEqual(next.notice?.isError, true)
                XCTAssertFalse(next.notice?.text.contains("requested") ?? true)
            }
        }
        var searching = running
        searching.runState = .searching
        XCTAssertEqual(press(searching, .character("m")).1, [], "one search at a time")
    }

    // MARK: Export

    func testExportDefaultsToTheExportsDirectoryOrBesideTheCheckpoint() {
        var done = running
        done.runState = .done
        done.lastCheckpoint = CheckpointWritten(path: "/home/ada/.cache/brecq/checkpoints/fashion-W4A4", unitsDone: 5)
        done.exportDirectory = "/home/ada/.local/share/brecq/exports"
        XCTAssertEqual(press(done, .character("o")).0.overlay,
                       .export(ExportForm(path: "/home/ada/.local/share/brecq/exports/fashion-W4A4.onnx")))
        done.exportDirectory = nil
        XCTAssertEqual(press(done, .character("o")).0.overlay,
                       .export(ExportForm(path: "/home/ada/.cache/brecq/checkpoints/fashion-W4A4.onnx")))
        XCTAssertEqual(DashboardReducer.defaultExportPath(checkpoint: "/runs/x/", exportDirectory: nil), "/runs/x.onnx")
    }

    func testTheExportFormShowsTheWholePath() {
        var done = running
        done.runState = .done
        done.lastCheckpoint = CheckpointWritten(path: "/home/ada/.cache/brecq/checkpoints/fashion-resnet20-brecq-W4A4-block-seed0", unitsDone: 11)
        done.exportDirectory = "/home/ada/.local/share/brecq/exports"
        let s = press(done, .character("o")).0
        guard case .export(let form)? = s.overlay else { return XCTFail("no form") }
        let grid = DashboardView.render(s, size: s.size, charset: .unicode)
        // The path is wrapped over lines of the form; read back column by column, every character is there.
        let rows = (0..<grid.height).map { Array(grid.row($0).unicodeScalars) }
        guard let top = rows.firstIndex(where: { String(String.UnicodeScalarView($0)).contains("Export quantized model") }),
              let left = rows[top].firstIndex(of: "┌"), let right = rows[top].lastIndex(of: "┐") else { return XCTFail(grid.text) }
        let joined = rows[(top + 1)...].prefix { $0[left] != "└" }.map {
            String(String.UnicodeScalarView($0[(left + 2)..<(right - 1)])).trimmingCharacters(in: .whitespaces)
        }.joined()
        XCTAssertTrue(joined.contains(form.path), "the path \(form.path) is not shown whole:\n\(grid.text)")
    }
}
