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

    /// Each hint-bar entry, as drawn: its key's text and the column its hint starts at.
    func hintEntries(_ s: DashboardState) -> [(keys: String, x: Int)] {
        let layout = DashboardLayout.compute(size: s.size, focus: s.focus)
        return HintBarView.entries(s, layout.hint, width: { $0.unicodeScalars.count }).entries.map { ($0.binding.keys, $0.x) }
    }

    /// A click anywhere on a hint entry has exactly the effect of its key: the same
    /// next state and the same effects (engine commands included), in a live run,
    /// a replay and an attached view; the drawn bar shows the key where it is clicked.
    func testAClickOnAHintDoesWhatItsKeyDoes() {
        let live = state(TerminalSize(width: 120, height: 40))
        var replay = S.state(S.midRun(), from: DashboardState(mode: .replay(ReplayStatus()), size: TerminalSize(width: 120, height: 40)))
        replay.notice = nil
        let attached = S.state(S.midRun(), from: DashboardState(mode: .attached(AttachStatus(control: false)), size: TerminalSize(width: 120, height: 40)))
        for s in [live, replay, attached] {
            let entries = hintEntries(s)
            XCTAssertGreaterThan(entries.count, 3)
            let bar = DashboardView.render(s, size: s.size, charset: .unicode).row(s.size.height - 1)
            for entry in entries {
                let drawn = String(bar.unicodeScalars.dropFirst(entry.x).prefix(entry.keys.unicodeScalars.count))
                XCTAssertEqual(drawn, entry.keys, "the bar shows \(entry.keys) at column \(entry.x)")
                let key: Key = entry.keys == "space" ? .character(" ") : .character(entry.keys.first!)
                let pressed = DashboardReducer.update(s, .key(key))
                for dx in [0, entry.keys.count + 1] {
                    let clicked = mouse(s, .click, entry.x + dx, s.size.height - 1)
                    XCTAssertEqual(clicked.0, pressed.0, "click on \(entry.keys)")
                    XCTAssertEqual(clicked.1, pressed.1, "click on \(entry.keys)")
                }
            }
        }
        // Engine commands too: "space pause" in a live run sends pause.
        let space = try! XCTUnwrap(hintEntries(live).first { $0.keys == "space" })
        XCTAssertEqual(mouse(live, .click, space.x, live.size.height - 1).1, [.send(.pause)])
    }

    /// Outside every target (the header, a gap in the hint bar, a wheel on the bar) nothing changes.
    func testAClickOutsideAnyTargetDoesNothing() {
        let s = state(TerminalSize(width: 120, height: 40))
        for (x, y) in [(5, 0), (60, 1)] {
            let (next, effects) = mouse(s, .click, x, y)
            XCTAssertEqual(next, s)
            XCTAssertEqual(effects, [])
        }
        let entries = hintEntries(s)
        let covered = Set(HintBarView.entries(s, DashboardLayout.compute(size: s.size, focus: s.focus).hint,
                                              width: { $0.unicodeScalars.count }).entries.flatMap { $0.x..<($0.x + $0.width) })
        let gap = try! XCTUnwrap((0..<s.size.width).first { !covered.contains($0) })
        XCTAssertEqual(mouse(s, .click, gap, s.size.height - 1).0, s)
        XCTAssertEqual(mouse(s, .wheelUp, entries[0].x, s.size.height - 1).0, s)
    }

    /// A click on a unit's or a layer's row selects that one (as the rows are drawn).
    func testAClickSelectsTheUnitOrLayerOnItsRow() {
        let s = state(TerminalSize(width: 120, height: 40))
        let grid = DashboardView.render(s, size: s.size, charset: .unicode)
        let layout = DashboardLayout.compute(size: s.size, focus: s.focus)
        for (index, unit) in s.units.enumerated() {
            let units = layout.panels[.units]!
            let y = try! XCTUnwrap((units.y..<units.maxY).first { y in
                let row = String(grid.row(y).unicodeScalars.dropFirst(units.x).prefix(units.width))
                return row.contains(" \(index + 1) ") && row.contains(String(unit.info.name.prefix(6)))
            }, "unit \(index + 1) drawn")
            let next = mouse(s, .click, units.x + 4, y).0
            XCTAssertEqual(next.selectedUnit, index)
            XCTAssertEqual(next.focus, .units)
        }
        let bits = layout.panels[.bits]!
        let next = mouse(s, .click, bits.x + 3, bits.y + 4).0
        XCTAssertEqual(next.focus, .bits)
        XCTAssertEqual(next.selectedLayer, 2, "the third layer row is under the pointer")
        XCTAssertTrue(DashboardView.render(next, size: next.size, charset: .unicode).row(bits.y + 4).contains(next.layers[2].name.prefix(4)))
    }
}
