import XCTest
import Engine
@testable import Dashboard

/// `DashboardApp`'s loop itself, on an in-memory terminal: keys reach the
/// reducer, effects reach the session, resizes re-lay out, and the loop ends on quit.
final class AppLoopTests: XCTestCase {
    typealias S = SyntheticSession
    static let normal = TerminalSize(width: 80, height: 24)
    static let tiny = TerminalSize(width: 60, height: 20)

    func options() -> DashboardOptions {
        var options = DashboardOptions(themesDirectory: nil, framesPerSecond: 60)
        options.exportDirectory = nil
        return options
    }

    func run(_ events: [EventRecord], _ inputs: [TerminalInput], size: TerminalSize = normal) -> (ExitReason, TestTerminal, RecordingSession) {
        let terminal = TestTerminal(size: size, inputs: inputs)
        let session = RecordingSession(events: events)
        let reason = DashboardApp.run(session: session, options: options(), terminal: terminal)
        return (reason, terminal, session)
    }

    func testKeysReachTheEngineAndQuitAsksFirstWhileRunning() throws {
        let (reason, terminal, session) = run(S.midRun(), [
            .key(.character(" ")), .key(.character("n")), .key(.character("q")), .key(.character("y")), .key(.character("q")),
        ])
        XCTAssertFalse(terminal.ranOut, "the script should have quit by itself")
        XCTAssertEqual(session.commands, [.pause, .skipUnit, .stop])
        XCTAssertEqual(reason, .userQuit(stoppedSession: true))
        let frame = try XCTUnwrap(terminal.lastFrame)
        XCTAssertTrue(frame.row(0).contains("STOPPING"), "after y the header says the engine is being stopped:\n\(frame.text)")
        XCTAssertTrue(terminal.frames.contains { $0.text.contains("Stop it (the checkpoint is written) and quit?") },
                      "the quit confirmation was drawn")
    }

    func testTooSmallScreenIgnoresEverythingButQ() throws {
        let ignored: [Key] = [.character("n"), .character(" "), .character("r"), .character("+"), .character("b"),
                              .character("m"), .character("v"), .character("?"), .character("i"), .tab, .enter]
        let (reason, terminal, session) = run(S.midRun(),
            [.resize(Self.tiny)] + ignored.map(TerminalInput.key) + [.resize(Self.normal)]
            + [.key(.character("q")), .key(.character("y")), .key(.character("q"))])
        XCTAssertFalse(terminal.ranOut)
        XCTAssertEqual(session.commands, [.stop], "no key acted behind the too-small screen; only the quit afterwards")
        let small = terminal.frames.filter { $0.width == Self.tiny.width }
        XCTAssertFalse(small.isEmpty)
        XCTAssertTrue(small.allSatisfy { $0.text.contains("terminal too small (need 80×24)") })
        // Back at 80×24 the dashboard is as it was: no overlay, focus unchanged.
        let back = try XCTUnwrap(terminal.frames.last { $0.width == Self.normal.width && !$0.text.contains("Quit") && !$0.row(0).contains("STOPPING") })
        XCTAssertTrue(back.row(0).contains("RUNNING"), back.text)
        XCTAssertTrue(back.text.contains("┌ Units"), back.text)
        XCTAssertFalse(back.text.contains("Keys"), "? opened no help behind the too-small screen:\n\(back.text)")
        XCTAssertEqual(reason, .userQuit(stoppedSession: true))
    }

    func testQOnTheTooSmallScreenStopsAndQuits() {
        let (reason, terminal, session) = run(S.midRun(), [.resize(Self.tiny), .key(.character("q")), .key(.character("q"))])
        XCTAssertFalse(terminal.ranOut)
        XCTAssertEqual(session.commands, [.stop], "the engine is stopped so it writes its checkpoint")
        XCTAssertEqual(reason, .userQuit(stoppedSession: true))
        XCTAssertTrue(terminal.frames.contains { $0.text.contains("q stops the run (checkpoint kept) and quits") })
    }

    func testQuitAtOnceWhenTheRunIsOver() {
        let finished = S.withSearch() + [S.record(100, .stateChanged(.done))]
        let (reason, terminal, session) = run(finished, [.key(.character("q"))])
        XCTAssertFalse(terminal.ranOut)
        XCTAssertEqual(reason, .userQuit(stoppedSession: false))
        XCTAssertEqual(session.commands, [])
    }

    func testResizeRelaysOutAndTheWideLayoutShowsEveryPanel() throws {
        let (_, terminal, _) = run(S.midRun(), [.resize(TerminalSize(width: 120, height: 40)), .key(.character("q")), .key(.character("y")), .key(.character("q"))])
        let wide = try XCTUnwrap(terminal.frames.last { $0.width == 120 })
        for title in ["┌ Units", "┌ Loss", "┌ Bit widths", "┌ Search", "┌ Log"] {
            XCTAssertTrue(wide.text.contains(title), "\(title) missing:\n\(wide.text)")
        }
    }

    func testThemeIsAppliedOnStart() {
        let (_, terminal, _) = run(S.midRun(), [.key(.character("q")), .key(.character("y")), .key(.character("q"))])
        XCTAssertEqual(terminal.appliedThemes, ["default"])
    }

    /// The export is the engine's: `o` and Enter send a command and the loop
    /// goes on. The fake engine's exporter finishes only once the key typed
    /// after the confirmation has been read, so a loop that waited for the export
    /// could never read that key (the exporter's gate would time out first and
    /// its answer would come before the key's effect).
    func testAnExportRunsWhileKeysAreHandled() throws {
        let finished = S.withSearch() + [S.record(90, .checkpointWritten(CheckpointWritten(path: "/runs/ck", unitsDone: 5))),
                                         S.record(100, .stateChanged(.done))]
        let session = SlowExportSession(events: finished)
        let terminal = TestTerminal(script: [
            .input(.key(.character("o"))), .waitForText("Export quantized model"), .input(.key(.enter)),
            .input(.key(.character("y"))), .waitForText("export: wrote /runs/ck.onnx"), .input(.key(.character("q"))),
        ])
        terminal.onRead = { input in if input == .key(.character("y")) { session.finishExports() } }
        let reason = DashboardApp.run(session: session, options: options(), terminal: terminal)
        XCTAssertFalse(terminal.ranOut, "the export's answer was drawn and q quit")
        XCTAssertEqual(session.commands, [.export(checkpoint: "/runs/ck", output: "/runs/ck.onnx")])
        XCTAssertFalse(session.gateTimedOut, "the key after the confirmation was read while the export ran")
        let keyFrame = try XCTUnwrap(terminal.frames.firstIndex { $0.text.contains("loss axis: logarithmic") })
        let answerFrame = try XCTUnwrap(terminal.frames.firstIndex { $0.text.contains("export: wrote /runs/ck.onnx") })
        XCTAssertLessThan(keyFrame, answerFrame, "y was reduced and drawn before the export's event arrived")
        XCTAssertEqual(reason, .userQuit(stoppedSession: false))
    }

    /// A failed export is said as an error, in the log and the hint bar.
    func testAFailedExportIsAnError() throws {
        let finished = S.withSearch() + [S.record(90, .checkpointWritten(CheckpointWritten(path: "/runs/ck", unitsDone: 5))),
                                         S.record(100, .stateChanged(.done))]
        let session = SlowExportSession(events: finished, failure: "--output /runs/ck.onnx: disk full")
        session.finishExports()
        let terminal = TestTerminal(script: [.input(.key(.character("o"))), .input(.key(.enter)),
                                             .waitForText("export: --output /runs/ck.onnx: disk full"), .input(.key(.character("q")))])
        _ = DashboardApp.run(session: session, options: options(), terminal: terminal)
        XCTAssertFalse(terminal.ranOut)
        let state = SyntheticSession.state(finished + session.answered)
        XCTAssertEqual(state.log.entries.last?.level, .error)
        XCTAssertEqual(state.notice?.isError, true)
    }

    /// T reads the next theme file off the loop; it is applied when its message comes back.
    func testThemesAreLoadedOffTheLoopAndAppliedOnTheirMessage() throws {
        var options = options()
        options.themesDirectory = Theme.defaultThemesDirectory()
        let names = try XCTUnwrap(options.themesDirectory.map(Theme.availableThemes(in:)))
        XCTAssertEqual(Array(names.prefix(2)), ["default", "high-contrast"])
        let terminal = TestTerminal(script: [
            .input(.key(.character("T"))), .waitForText("theme: high-contrast"),
            .input(.key(.character("T"))), .waitForText("theme: light"),
            .input(.key(.character("q"))), .input(.key(.character("y"))), .input(.key(.character("q"))),
        ])
        _ = DashboardApp.run(session: RecordingSession(events: S.midRun()), options: options, terminal: terminal)
        XCTAssertFalse(terminal.ranOut)
        XCTAssertEqual(terminal.appliedThemes, ["default", "high-contrast", "light"])
    }
}

