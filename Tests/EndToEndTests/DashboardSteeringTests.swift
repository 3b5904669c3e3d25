import XCTest

/// The dashboard's steering keys on the real binary: search, restart, skip, evaluate, theme.
final class DashboardSteeringTests: DashboardTestCase {
    func testSearchKeyShowsGenerationsAndSetsBits() throws {
        try startDashboard(extra: ["--budget", "avgbits=3", "--sensitivity-images", "32", "--no-sensitivity-cache",
                                   "--population", "12", "--generations", "8"])
        try tmux.sendKeys("m")
        let pane = try tmux.waitFor("the search's last generation", timeout: 120) { $0.contains("gen 8/8") && $0.contains("search: objective") }
        XCTAssertTrue(pane.contains("feasible"), pane)
        XCTAssertTrue(pane.contains("best ") && pane.contains("×W"), "no best configuration line:\n\(pane)")
        XCTAssertTrue(pane.contains("bits: "), "no bit change in the log:\n\(pane)")
    }

    func testRestartSkipAndEvaluateKeysReachTheEngine() throws {
        let events = model.file("events.jsonl")
        try startDashboard(extra: ["--events", events])
        try tmux.sendKeys("r")
        try CommandRun.waitUntil(timeout: 60, "the unit to restart") { unitStarts(events, "block1") >= 2 }
        try tmux.sendKeys("n")
        try tmux.waitFor("block1 skipped", timeout: 60) { $0.contains("block1 skipped") }
        try tmux.sendKeys("v")
        try tmux.waitFor("an evaluation of the quantized model", timeout: 120) { $0.contains("eval quantized") }
        let records = try readEventLog(events)
        XCTAssertTrue(records.contains { $0["type"] as? String == "unit_finished" && $0["status"] as? String == "skipped" },
                      "no skipped unit in the event log")
    }

    func testExportKeyWritesTheFinishedModel() throws {
        try launch(tuiArguments(iterations: 20))
        try tmux.waitFor("the run to finish", timeout: 180) { Header.badge(in: $0) == "DONE" }
        let output = model.file("dashboard-export.onnx")
        try tmux.sendKeys("o")
        try tmux.waitFor("the export form", timeout: 20) { $0.contains("Export quantized model") }
        for _ in 0..<80 { try tmux.sendKeys("BSpace") }
        try tmux.type(output)
        try tmux.sendKeys("Enter")
        let pane = try tmux.waitFor("the export report", timeout: 60) { $0.contains("export: wrote") || $0.contains("export: ") && $0.contains("error") }
        XCTAssertTrue(pane.contains("export: wrote"), pane)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output))
        XCTAssertTrue(FileManager.default.fileExists(atPath: model.file("dashboard-export.encodings.json")))
    }

    func testThemeKeyRecolours() throws {
        try startDashboard()
        try tmux.waitFor("the first frame", timeout: 30) { $0.contains("Units") }
        let before = colours(tmux.captureStyled())
        try tmux.sendKeys("T")
        let pane = try tmux.waitFor("the theme notice", timeout: 30) { $0.contains("theme: ") }
        XCTAssertNotEqual(colours(tmux.captureStyled()), before, "the colours did not change:\n\(pane)")
    }

    /// The distinct SGR sequences (colours, attributes) on the screen; the text may change, these only with the theme.
    private func colours(_ styled: String) -> Set<String> {
        Set(styled.matches(of: /\x1B\[[0-9;:]*m/).map { String($0.output) })
    }

    private func unitStarts(_ path: String, _ unit: String) -> Int {
        ((try? readEventLog(path)) ?? []).filter {
            $0["type"] as? String == "unit_started" && $0["name"] as? String == unit && $0["phase"] as? String == "weights"
        }.count
    }
}
