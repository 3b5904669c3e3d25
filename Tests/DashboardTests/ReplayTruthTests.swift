import XCTest
import Engine
@testable import Dashboard

/// Issue #15 item 9: a replay's keys, hints and help are about the replay.
final class ReplayTruthTests: XCTestCase {
    typealias S = SyntheticSession

    func replay(speed: Double = 1, paused: Bool = false, duration: Double? = 100) -> DashboardState {
        S.state(S.midRun(), from: DashboardState(mode: .replay(ReplayStatus(speed: speed, paused: paused, duration: duration)),
                                                 size: TerminalSize(width: 80, height: 24)))
    }

    func press(_ s: DashboardState, _ key: Key) -> (DashboardState, [Effect]) { DashboardReducer.update(s, .key(key)) }

    func testOneSpeedLadderBothWays() {
        XCTAssertEqual(ReplayStatus.step(from: 20, faster: false), 16, "from between rungs, down goes to the rung below")
        XCTAssertEqual(ReplayStatus.step(from: 20, faster: true), 32)
        XCTAssertEqual(ReplayStatus.step(from: 0.01, faster: true), 0.25)
        XCTAssertEqual(ReplayStatus.step(from: 0.01, faster: false), 0.01, "below the ladder, slower keeps the speed")
        XCTAssertEqual(ReplayStatus.step(from: 64, faster: true), 64)
        // Up then down returns to the same rung everywhere on the ladder.
        for speed in ReplayStatus.speeds.dropLast() {
            XCTAssertEqual(ReplayStatus.step(from: ReplayStatus.step(from: speed, faster: true), faster: false), speed)
        }
        let (s, effects) = press(replay(speed: 20), .character("-"))
        XCTAssertEqual(effects, [.replay(.setSpeed(16))])
        guard case .replay(let status) = s.mode else { return XCTFail("not a replay") }
        XCTAssertEqual(status.speed, 16)
    }

    func testHintSaysWhatSpaceWillDo() {
        let playing = DashboardView.render(replay(), size: TerminalSize(width: 80, height: 24), charset: .unicode).row(23)
        XCTAssertTrue(playing.contains("space pause"), playing)
        let paused = DashboardView.render(replay(paused: true), size: TerminalSize(width: 80, height: 24), charset: .unicode).row(23)
        XCTAssertTrue(paused.contains("space play"), paused)
    }

    func testReplayHelpIsAboutTheReplay() {
        var s = press(replay(), .character("?")).0
        var text = DashboardView.render(s, size: s.size, charset: .unicode).text
        XCTAssertTrue(text.contains("Keys (replay)"), text)
        XCTAssertFalse(text.contains("asks first while the engine runs"), text)
        XCTAssertTrue(text.contains("engine keys: unavailable"), text)
        // At 80×24 the list is longer than the box: it says it scrolls, and j reaches its last line.
        XCTAssertTrue(text.contains("j/k scroll"), text)
        XCTAssertFalse(text.contains("leave the replay"), text)
        for _ in 0..<40 { s = press(s, .character("j")).0 }
        text = DashboardView.render(s, size: s.size, charset: .unicode).text
        XCTAssertTrue(text.contains("leave the replay"), text)
        XCTAssertFalse(text.contains("pause / play the recording"), "scrolled past the first line: \(text)")
        // k scrolls back to the top; a larger screen shows everything without scrolling.
        for _ in 0..<40 { s = press(s, .character("k")).0 }
        XCTAssertTrue(DashboardView.render(s, size: s.size, charset: .unicode).text.contains("pause / play the recording"))
        s.size = TerminalSize(width: 120, height: 40)
        text = DashboardView.render(s, size: s.size, charset: .unicode).text
        XCTAssertTrue(text.contains("leave the replay") && text.contains("pause / play the recording"), text)
        XCTAssertFalse(text.contains("j/k scroll"), text)
    }

    func testHeaderShowsSpeedAndPlayTimeLeft() {
        var s = replay(speed: 0.01, duration: 100)    // midRun ends at recorded second 71
        s.currentUnit = nil                            // room in the second row
        let grid = DashboardView.render(s, size: s.size, charset: .unicode)
        XCTAssertTrue(grid.row(0).contains("REPLAY ×0.01"), grid.row(0))
        XCTAssertTrue(grid.row(1).contains("48m20s to play"), grid.row(1)) // 29 s / 0.01 = 2900 s
    }
}
