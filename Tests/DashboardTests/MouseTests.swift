import XCTest
import Engine
@testable import Dashboard

/// Clicks focus panels and tabs, the wheel scrolls; the mouse never sends engine
/// commands and does nothing behind the too-small screen or an overlay.
final class MouseTests: XCTestCase {
    typealias S = SyntheticSession

    func state(_ size: TerminalSize) -> DashboardState { S.state(S.midRun(), from: DashboardState(size: size)) }
    func mouse(_ s: DashboardState, _ action: MouseInput.Action, _ x: Int, _ y: Int) -> (DashboardState, [Effect]) {
        DashboardReducer.update(s, .mouse(MouseInput(action, x: x, y: y)))
    }

    func testClickFocusesThePanelOrTabUnderThePointer() {
        let wide = state(TerminalSize(width: 120, height: 40))
        let layout = DashboardLayout.compute(size: wide.size, focus: wide.focus)
        for panel in Panel.cycle {
            let rect = layout.panels[panel]!
            let (next, effects) = mouse(wide, .click, rect.x + 2, rect.y + 2)
            XCTAssertEqual(next.focus, panel)
            XCTAssertEqual(effects, [])
        }
        // At 80×24 the tab bar (row 2) switches pages: "3 Bit widths" is the second label.
        let small = state(TerminalSize(width: 80, height: 24))
        let bar = DashboardView.render(small, size: small.size, charset: .unicode).row(2)
        let column = bar.distance(from: bar.startIndex, to: bar.range(of: "Bit widths")!.lowerBound)
        XCTAssertEqual(mouse(small, .click, column, 2).0.focus, .bits)
    }

    func testWheelScrollsTheLogAndTheSelection() {
        var s = state(TerminalSize(width: 120, height: 40))
        let layout = DashboardLayout.compute(size: s.size, focus: s.focus)
        let log = layout.panels[.log]!
        s = mouse(s, .wheelUp, log.x + 3, log.y + 3).0
        XCTAssertEqual(s.focus, .log)
        XCTAssertEqual(s.logScroll, DashboardReducer.wheelStep, "wheel up scrolls back in time")
        let units = layout.panels[.units]!
        let selected = s.selectedUnit
        s = mouse(s, .wheelUp, units.x + 3, units.y + 3).0
        XCTAssertEqual(s.focus, .units)
        XCTAssertEqual(s.selectedUnit, max(0, selected - DashboardReducer.wheelStep))
    }

    func testMouseDoesNothingBehindTheTooSmallScreenOrAnOverlay() {
        let tiny = state(TerminalSize(width: 60, height: 20))
        XCTAssertEqual(mouse(tiny, .click, 10, 10).0, tiny)
        XCTAssertEqual(mouse(tiny, .wheelDown, 10, 10).0, tiny)
        let help = DashboardReducer.update(state(TerminalSize(width: 120, height: 40)), .key(.character("?"))).0
        XCTAssertEqual(mouse(help, .click, 100, 30).0, help)
    }

    func testTheAppLoopPassesMouseInputToTheReducer() throws {
        let size = TerminalSize(width: 120, height: 40)
        let log = DashboardLayout.compute(size: size, focus: .units).panels[.log]!
        let terminal = TestTerminal(size: size, inputs: [
            .mouse(MouseInput(.click, x: log.x + 2, y: log.y + 2)),
            .key(.character("q")), .key(.character("y")), .key(.character("q")),
        ])
        var options = DashboardOptions(themesDirectory: nil, framesPerSecond: 60)
        options.exportDirectory = nil
        _ = DashboardApp.run(session: RecordingSession(events: S.midRun()), options: options, terminal: terminal)
        // The focused panel's title is drawn in the focus style: find the frame after the click.
        let clicked = try XCTUnwrap(terminal.frames.first { frame in
            (0..<frame.height).contains { y in
                let row = frame.row(y)
                guard let range = row.range(of: "┌ Log") else { return false }
                let x = row.distance(from: row.startIndex, to: range.lowerBound)
                return frame[x, y].role == .borderFocused
            }
        }, "no frame shows the log panel focused after the click")
        XCTAssertFalse(terminal.ranOut)
        _ = clicked
    }
}
