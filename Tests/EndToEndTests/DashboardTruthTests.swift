import XCTest

/// Issue #15 with the real binary under tmux: keys behind the too-small screen
/// do nothing, quick steps add up, and unfocused borders are visible with 8 colours.
final class DashboardTruthTests: DashboardTestCase {
    func testKeysBehindTheTooSmallScreenDoNothingAndStepsAddUp() throws {
        try startDashboard()
        let start = tmux.capture()
        let before = try XCTUnwrap(Header.iteration(in: start))
        let unitBefore = try XCTUnwrap(Self.runningUnit(in: start), start)

        try tmux.resize(width: 70, height: 20)
        try tmux.waitFor("the too-small screen", timeout: 30) { $0.contains("terminal too small (need 80×24)") }
        // Skip, pause, restart and the iterations form: none may act while the dashboard cannot be seen.
        for key in ["n", "Space", "r", "i", "+"] { try tmux.sendKeys(key) }
        Thread.sleep(forTimeInterval: 1)
        try tmux.resize(width: 120, height: 40)
        let back = try tmux.waitFor("the dashboard again", timeout: 30) { $0.contains("┌ Units") && !$0.contains("too small") }
        XCTAssertEqual(Header.badge(in: back), "RUNNING", "space paused behind the too-small screen:\n\(back)")
        XCTAssertEqual(Self.runningUnit(in: back), unitBefore, "n skipped a unit behind the too-small screen:\n\(back)")
        XCTAssertFalse(back.contains("unit \(unitBefore) block1 skipped"), back)
        XCTAssertFalse(back.contains("units not started"), "i opened a form behind the too-small screen:\n\(back)")
        let after = try XCTUnwrap(Header.iteration(in: back))
        XCTAssertEqual(after.total, before.total, "+ changed the iterations behind the too-small screen")
        XCTAssertGreaterThanOrEqual(after.done, before.done, "the unit restarted behind the too-small screen")

        // Three quick presses: 100000 in steps of 10000 is 130000, not 110000.
        try tmux.sendKeys("+", "+", "+")
        try tmux.waitFor("three steps to reach the engine", timeout: 60) { Header.iteration(in: $0)?.total == 130_000 }
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(Header.iteration(in: tmux.capture())?.total, 130_000)

        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it") }
        try tmux.sendKeys("y")
        _ = try tmux.waitForExit(timeout: 120)
    }

    /// The running unit's number from the header's "unit k/n" segment.
    static func runningUnit(in pane: String) -> Int? {
        let lines = pane.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, let match = lines[1].firstMatch(of: #/unit (\d+)\/\d+ /#) else { return nil }
        return Int(match.1)
    }

    func testUnfocusedBordersAreNotBlackWithEightColours() throws {
        tmux = try TmuxSession(width: 80, height: 24)
        let command = (["env", "TERM=xterm", try BrecqBinary.path()] + tuiArguments()).map(Self.shellQuoted)
        try tmux.launch(command.joined(separator: " "))
        try tmux.waitFor("a unit to be running", timeout: 120) { Header.iteration(in: $0).map { $0.done > 0 } ?? false }
        // At 80×24 the units panel has the focus and the loss panel beside it does not.
        let styled = tmux.captureStyled()
        let cells = SGRCells.parse(styled)
        guard let row = cells.firstIndex(where: { SGRCells.text($0).contains("┌ Loss") }) else {
            return XCTFail("no loss panel:\n\(tmux.capture())")
        }
        let text = Array(SGRCells.text(cells[row]))
        let titleIndex = try XCTUnwrap(String(text).range(of: "┌ Loss").map { String(text).distance(from: String(text).startIndex, to: $0.lowerBound) })
        let corner = cells[row][titleIndex]
        XCTAssertEqual(corner.character, "┌")
        XCTAssertNotEqual(corner.foreground, "30", "the unfocused border is black (SGR 30): invisible on a dark terminal\n\(styled)")
        // The focused panel's border is drawn too, and also not in black.
        let units = try XCTUnwrap(cells[row].first { $0.character == "┌" })
        XCTAssertNotEqual(units.foreground, "30")
        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it") }
        try tmux.sendKeys("y")
        _ = try tmux.waitForExit(timeout: 120)
    }
}

/// Reads `tmux capture-pane -e` output: each printed character with the foreground SGR in force.
enum SGRCells {
    struct Cell { var character: Character; var foreground: String }

    static func text(_ row: [Cell]) -> String { String(row.map(\.character)) }

    static func parse(_ styled: String) -> [[Cell]] {
        var rows: [[Cell]] = []
        var foreground = "39"
        for line in styled.split(separator: "\n", omittingEmptySubsequences: false) {
            var row: [Cell] = []
            var chars = Array(line)[...]
            while let c = chars.first {
                chars = chars.dropFirst()
                guard c == "\u{1B}" else { row.append(Cell(character: c, foreground: foreground)); continue }
                guard chars.first == "[" else { continue }
                chars = chars.dropFirst()
                var body = ""
                while let d = chars.first, !d.isLetter { body.append(d); chars = chars.dropFirst() }
                let final = chars.first
                chars = chars.dropFirst()
                guard final == "m" else { continue }
                var params = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
                if params.isEmpty { params = [0] }
                while let p = params.first {
                    params = params.dropFirst()
                    switch p {
                    case 0, 39: foreground = "39"
                    case 30...37, 90...97: foreground = String(p)
                    case 38:
                        // 38;5;n or 38;2;r;g;b
                        let kind = params.first ?? 0
                        let count = kind == 5 ? 2 : kind == 2 ? 4 : 1
                        foreground = "38;" + params.prefix(count).map(String.init).joined(separator: ";")
                        params = params.dropFirst(count)
                    case 48:
                        let kind = params.first ?? 0
                        params = params.dropFirst(kind == 5 ? 2 : kind == 2 ? 4 : 1)
                    default: break
                    }
                }
            }
            rows.append(row)
        }
        return rows
    }
}
