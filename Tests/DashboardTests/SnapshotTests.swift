import XCTest
import Engine
@testable import Dashboard

/// The whole screen as text at the two reference sizes, in UTF-8 and ASCII.
/// Re-record with BRECQ_RECORD_SNAPSHOTS=1 after an intended change.
final class SnapshotTests: XCTestCase {
    typealias S = SyntheticSession
    static let small = TerminalSize(width: 80, height: 24)
    static let large = TerminalSize(width: 120, height: 40)

    func render(_ s: DashboardState, _ size: TerminalSize, _ charset: Charset) -> CellGrid {
        DashboardView.render(s, size: size, charset: charset)
    }

    func states() -> [(String, DashboardState)] {
        var training = S.state(S.midRun())
        training.now = 0
        var bits = training
        bits.focus = .bits
        bits.selectedLayer = 7
        var search = S.playedBack(S.state(S.withSearch()))
        search.focus = .search
        var log = search
        log.focus = .log
        var logY = training
        logY.logScale = true
        logY.focus = .loss
        return [("training", training), ("bits", bits), ("search", search), ("log", log), ("logy", logY)]
    }

    func testDashboardScreens() {
        for (name, state) in states() {
            for (sizeName, size) in [("80x24", Self.small), ("120x40", Self.large)] {
                for (charsetName, charset) in [("utf8", Charset.unicode), ("ascii", Charset.ascii)] {
                    if sizeName == "120x40" && name != "training" && name != "search" { continue }
                    assertSnapshot(render(state, size, charset), named: "\(name)-\(sizeName)-\(charsetName)")
                }
            }
        }
    }

    /// A W4A4 run: both phases of the running unit on the chart with their
    /// reference lines, and the units compared by output SNR.
    func testW4A4Screens() {
        var s = S.state(S.w4a4Run())
        s.now = 0
        for (sizeName, size) in [("80x24", Self.small), ("120x40", Self.large)] {
            for (charsetName, charset) in [("utf8", Charset.unicode), ("ascii", Charset.ascii)] {
                assertSnapshot(render(s, size, charset), named: "w4a4-\(sizeName)-\(charsetName)")
            }
        }
        let text = render(s, Self.large, .unicode).text
        XCTAssertTrue(text.contains("rtn 0.930"), "the activations phase's plain-rounding line is layer3.0's before:\n\(text)")
        XCTAssertTrue(text.contains("weights") && text.contains("acts"), text)
        XCTAssertTrue(text.contains("worst: 2 layer1.0 SNR 15.9 dB"), text)
    }

    func testOverlays() {
        let training = S.state(S.midRun())
        let keys: [(String, [Key])] = [
            ("help", [.character("?")]), ("teaching", [.character("t")]), ("quit", [.character("q")]),
            ("hyperparameters", [.character("e"), .down, .character("2")]), ("iterations", [.character("i")]),
        ]
        for (name, sequence) in keys {
            let s = sequence.reduce(training) { DashboardReducer.update($0, .key($1)).0 }
            assertSnapshot(render(s, Self.small, .unicode), named: "overlay-\(name)-80x24-utf8")
        }
        var done = training
        done.runState = .done
        done.lastCheckpoint = CheckpointWritten(path: "/home/ada/.cache/brecq/checkpoints/fashion-resnet20-brecq-W4A4-block-seed0", unitsDone: 11)
        let export = DashboardReducer.update(done, .key(.character("o"))).0
        assertSnapshot(render(export, Self.small, .unicode), named: "overlay-export-80x24-utf8")
        let help = DashboardReducer.update(training, .key(.character("?"))).0
        assertSnapshot(render(help, Self.small, .ascii), named: "overlay-help-80x24-ascii")
    }

    func testWaitingAndTooSmall() {
        assertSnapshot(render(DashboardState(), Self.small, .unicode), named: "waiting-80x24-utf8")
        assertSnapshot(render(S.state(S.midRun()), TerminalSize(width: 79, height: 24), .unicode), named: "too-small-79x24-utf8")
        XCTAssertTrue(render(S.state(S.midRun()), TerminalSize(width: 100, height: 23), .ascii).text
            .contains("terminal too small (need 80x24)"))
    }

    func testEveryPanelAtMinimumSizeIsReachable() {
        // At 80×24 every panel has a page; each shows its title when focused.
        var s = S.state(S.withSearch())
        for panel in Panel.allCases {
            s.focus = panel
            let text = render(s, Self.small, .unicode).text
            XCTAssertTrue(text.contains(panel.title), "\(panel) visible at 80×24")
        }
    }

    func testReplayHeaderAndHints() {
        let s = S.state(S.midRun(), from: DashboardState(mode: .replay(ReplayStatus(speed: 4, paused: false))))
        let grid = render(s, Self.small, .unicode)
        XCTAssertTrue(grid.row(0).contains("REPLAY ×4"))
        XCTAssertTrue(grid.row(23).contains("speed"))
        XCTAssertFalse(grid.row(23).contains("lock"))
    }

    /// The cell column where `needle` starts in `row`.
    func column(of needle: String, in row: String) -> Int? {
        let scalars = Array(row.unicodeScalars), target = Array(needle.unicodeScalars)
        guard scalars.count >= target.count else { return nil }
        return (0...(scalars.count - target.count)).first { Array(scalars[$0..<($0 + target.count)]) == target }
    }

    func testEngineErrorShownInHeader() {
        var s = S.state(S.midRun())
        s = DashboardReducer.update(s, .engine(EventRecord(time: 70, event: .message(Message(level: .error, text: "out of memory"))))).0
        s = DashboardReducer.update(s, .engine(EventRecord(time: 70, event: .stateChanged(.error)))).0
        let grid = render(s, Self.small, .unicode)
        XCTAssertTrue(grid.row(0).contains("ERROR"))
        let x = column(of: "error: out of memory", in: grid.row(1))
        XCTAssertNotNil(x)
        XCTAssertEqual(grid[x!, 1].role, .error)
    }

    func testStylesMarkSelectionAndWorstUnit() {
        let s = S.state(S.withSearch())
        let grid = render(s, Self.large, .unicode)
        // The weakest finished block's final loss is drawn in the error role.
        let row = (0..<grid.height).first { grid.row($0).contains("layer3.0") && grid.row($0).contains("0.290") }!
        XCTAssertEqual(grid[column(of: "0.290", in: grid.row(row))!, row].role, .error)
        let stem = (0..<grid.height).first { grid.row($0).contains(" stem ") }!
        XCTAssertEqual(grid[column(of: "4.20e-3", in: grid.row(stem))!, stem].role, .text)
    }
}
