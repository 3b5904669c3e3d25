import ArgumentParser
import Dashboard
import Engine
import XCTest
@testable import BrecqCLI

/// `brecq tui` (the default command) and `brecq replay`: the dashboard's flags
/// are checked before the terminal is taken over.
final class DashboardFlagTests: CLITestCase {
    var tui: [String] { ["--model", model, "--data", data, "--checkpoint", path("ck")] }

    func testNoSubcommandIsTheDashboard() {
        AssertParse(tui, as: Tui.self) { t in
            XCTAssertEqual(try t.options.configuration(), RunConfiguration(modelPath: self.model, data: self.data))
            XCTAssertEqual(t.dashboard.theme, "default")
            XCTAssertEqual(t.dashboard.fps, 10)
            XCTAssertTrue(t.dashboard.mouse, "the mouse is on unless --no-mouse")
            XCTAssertEqual(try t.search.settings(defaultBudget: Tui.defaultBudget).budget, "avgbits=3", "key m searches under avgbits=3 by default")
        }
        AssertParse(["tui"] + tui + ["--no-mouse"], as: Tui.self) { XCTAssertFalse($0.dashboard.mouse) }
        AssertParse(["tui"] + tui + ["--budget", "bops=2e9"], as: Tui.self) {
            XCTAssertEqual(try $0.search.settings(defaultBudget: Tui.defaultBudget).budget, "bops=2e9")
        }
    }

    func testLocksAreKeysInTheDashboard() {
        AssertParseError(tui + ["--lock", "conv=4"], "--lock: in the dashboard, lock a layer with the l key")
    }

    func testRunFlagsAreCheckedAsForQuantize() {
        AssertParseError(tui + ["--wbits", "9"], "--wbits must be at most 8, got 9")
        AssertParseError(tui + ["--population", "1"], "--population must be at least 2, got 1")
    }

    func testCharsetFlagsExcludeEachOtherAndChooseTheGlyphs() throws {
        AssertParseError(tui + ["--ascii", "--unicode"], "--ascii and --unicode exclude each other")
        AssertParse(tui + ["--ascii", "--mouse", "--fps", "60"], as: Tui.self) { t in
            let options = try t.dashboard.options(evaluationImages: 7, replaySpeed: 2)
            XCTAssertEqual(options.charset, .ascii)
            XCTAssertTrue(options.mouse)
            XCTAssertEqual(options.framesPerSecond, 60)
            XCTAssertEqual(options.evaluationImages, 7)
            XCTAssertEqual(options.replaySpeed, 2)
        }
        AssertParse(tui + ["--unicode"], as: Tui.self) { XCTAssertEqual(try $0.dashboard.options().charset, .unicode) }
        AssertParse(tui, as: Tui.self) { XCTAssertNil(try $0.dashboard.options().charset, "chosen from the locale and TERM") }
    }

    func testFramesPerSecondRange() {
        AssertRange(tui, "--fps", 1...60, as: Tui.self) { XCTAssertEqual(try $0.dashboard.options().framesPerSecond, $1) }
        AssertRange(["replay", path("events.jsonl")], "--fps", 1...60, as: Replay.self) { XCTAssertEqual($0.dashboard.fps, $1) }
    }

    /// A theme is loaded before the screen is taken over, so a bad one is one line.
    func testThemeIsLoadedFromTheFlag() throws {
        let theme = try file("mine.theme", "theme[main_fg]=\"#102030\"\n")
        AssertParse(tui + ["--theme", theme], as: Tui.self) { t in
            let loaded = try t.dashboard.options().theme
            XCTAssertEqual(loaded.name, "mine")
            XCTAssertEqual(loaded[.mainForeground], .rgb(RGB(0x10, 0x20, 0x30)))
        }
        let bad = try file("bad.theme", "background = #000000\n")
        AssertParse(tui + ["--theme", bad], as: Tui.self) { t in
            AssertThrowsMessage(try t.dashboard.options(), "--theme \(bad): \(bad):1: expected theme[key]=\"#RRGGBB\", got background = #000000")
        }
        AssertParse(tui + ["--theme", "absent"], as: Tui.self) { t in
            AssertThrowsMessage(try t.dashboard.options(), "--theme absent: absent.theme: theme not found (available: default, high-contrast, light, mono)")
        }
    }

    func testReplayFlags() throws {
        let recording = try file("events.jsonl", "")
        AssertParse(["replay", recording], as: Replay.self) { r in
            XCTAssertEqual(r.file, recording)
            XCTAssertEqual(r.speed, 1)
            XCTAssertFalse(r.headless)
            XCTAssertFalse(r.follow)
            XCTAssertEqual(r.dashboard.fps, 10)
        }
        AssertParse(["replay", recording, "--speed", "0.01", "--headless", "--follow", "--ascii"], as: Replay.self) { r in
            XCTAssertEqual(r.speed, 0.01)
            XCTAssertTrue(r.headless)
            XCTAssertTrue(r.follow)
            XCTAssertTrue(r.dashboard.ascii)
        }
        XCTAssertEqual(FlagLimits.replaySpeed, ReplaySession.speeds, "the flag and the speed keys share one range")
        AssertParseError(["replay", recording, "--speed", "0.001"], "--speed must be at least 0.01, got 0.001")
        AssertParseError(["replay", recording, "--speed", "10001"], "--speed must be at most 10000, got 10001")
        AssertParseError(["replay", recording, "--ascii", "--unicode"], "--ascii and --unicode exclude each other")
        AssertParseError(["replay"], "Missing expected argument '<file>'")
    }
}
