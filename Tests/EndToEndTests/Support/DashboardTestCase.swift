import Foundation
import TestFixtures
import XCTest

/// Set-up shared by the dashboard tests: a tiny model directory, a tmux server
/// of its own (killed in tearDown) and `brecq tui` started inside it.
class DashboardTestCase: TinyModelTestCase {
    var tmux: TmuxSession!

    override func tearDown() {
        tmux?.kill()
        super.tearDown()
    }

    /// A run long enough to outlast the test: the first unit keeps iterating.
    func tuiArguments(iterations: Int = 100_000, extra: [String] = []) -> [String] {
        ["tui", "--model", model.model, "--data", model.path, "--wbits", "4", "--abits", "4",
         "--iters", String(iterations), "--act-iters", "20", "--calib-size", "128", "--batch-size", "16",
         "--eval-images", "100", "--checkpoint", model.file("ck")] + extra
    }

    /// Opens a tmux pane of the given size and locale and starts `brecq ARGUMENTS` in its shell.
    func launch(_ arguments: [String], width: Int = 120, height: Int = 40, lang: String = "C.UTF-8") throws {
        tmux = try TmuxSession(width: width, height: height, lang: lang)
        let command = ([try BrecqBinary.path()] + arguments).map(Self.shellQuoted).joined(separator: " ")
        try tmux.launch(command)
    }

    /// Starts the dashboard and waits until a unit is reconstructing (the header shows `it k/n`).
    func startDashboard(width: Int = 120, height: Int = 40, lang: String = "C.UTF-8",
                        iterations: Int = 100_000, extra: [String] = []) throws {
        try launch(tuiArguments(iterations: iterations, extra: extra), width: width, height: height, lang: lang)
        try tmux.waitFor("a unit to be running", timeout: 120) { Header.iteration(in: $0).map { $0.done > 0 } ?? false }
    }

    /// `q`, `y`: stops the run (its checkpoint written), waits for the exit and
    /// returns the resume command printed after "continue with: ", joined
    /// (it is longer than the pane is wide).
    func quitAndReadResumeHint() throws -> String {
        try tmux.sendKeys("q")
        try tmux.waitFor("the quit confirmation", timeout: 20) { $0.contains("Stop it (the checkpoint is written) and quit?") }
        try tmux.sendKeys("y")
        XCTAssertEqual(try tmux.waitForExit(timeout: 60), 0)
        let pane = try tmux.run(["capture-pane", "-p", "-J", "-t", "e2e"])
        let marker = "continue with: "
        let line = try XCTUnwrap(pane.split(separator: "\n").last { $0.contains(marker) }, "no resume hint:\n\(pane)")
        return String(line[line.range(of: marker)!.upperBound...]).trimmingCharacters(in: .whitespaces)
    }

    /// Types `command` into the cleared shell from `/`, exactly as printed, and
    /// returns the pane once the run it opens iterates.
    func runPrintedCommand(_ command: String) throws -> String {
        try tmux.type("clear")
        try tmux.sendKeys("Enter")
        _ = try tmux.run(["clear-history", "-t", "e2e"])
        try tmux.type("cd / && " + command + "; echo __EXIT $?")
        try tmux.sendKeys("Enter")
        let pane = try tmux.waitFor("the resumed run to iterate", timeout: 120) { Header.iteration(in: $0).map { $0.done > 0 } ?? false }
        XCTAssertFalse(pane.contains("__EXIT 1"), pane)
        return pane
    }

    /// The terminal modes a program may change: alternate screen, cursor visibility, keypad modes.
    func terminalModes() -> String {
        tmux.display("#{alternate_on} #{cursor_flag} #{keypad_flag} #{keypad_cursor_flag}")
    }

    /// After the program has exited: its modes are back to `baseline`, the normal
    /// screen shows, and the shell echoes and runs a typed command.
    func assertShellUsable(modesBefore baseline: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(tmux.display("#{alternate_on}"), "0", "still on the alternate screen", file: file, line: line)
        XCTAssertEqual(terminalModes(), baseline, "terminal modes not restored", file: file, line: line)
        try tmux.type("echo MARK-$((6*7))")
        try tmux.sendKeys("Enter")
        // The typed line is visible (echo is back on) and its output appears (the shell runs it).
        let pane = try tmux.waitFor("the shell to run a command", timeout: 20) { $0.contains("MARK-42") }
        XCTAssertTrue(pane.contains("echo MARK-$((6*7))"), "typed text not echoed:\n\(pane)", file: file, line: line)
    }

    static func shellQuoted(_ word: String) -> String {
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+".contains($0) } ? word
            : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Reading the dashboard's header off the pane.
enum Header {
    /// `it k/n` of the second header row (the running unit's progress).
    static func iteration(in pane: String) -> (done: Int, total: Int)? {
        let lines = pane.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, let match = lines[1].firstMatch(of: /(?:^|· |- )it (\d+)\/(\d+)/),
              let done = Int(match.1), let total = Int(match.2) else { return nil }
        return (done, total)
    }

    /// The state badge at the right of the first row, e.g. `RUNNING`, `PAUSED`.
    static func badge(in pane: String) -> String {
        guard let first = pane.split(separator: "\n").first else { return "" }
        return first.split(separator: " ").last.map(String.init) ?? ""
    }
}

extension String {
    var containsBraille: Bool { unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) } }
}
