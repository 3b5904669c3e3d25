import Synchronization
import XCTest
import Engine
@testable import Dashboard

/// Issue #16 item 3: a replay as a lecture tool — seek, step, restart, bookmarks,
/// the position in the header — and none of it in a live session.
final class LectureReplayTests: XCTestCase {
    typealias S = SyntheticSession

    final class FakeClock: Sendable {
        let now = Mutex(0.0)
        var read: @Sendable () -> Double { { self.now.withLock { $0 } } }
    }

    let size = TerminalSize(width: 120, height: 40)
    func fresh(paused: Bool = false) -> DashboardState {
        DashboardState(mode: .replay(ReplayStatus(paused: paused)), size: size)
    }
    func press(_ s: DashboardState, _ key: Key) -> (DashboardState, [Effect]) { DashboardReducer.update(s, .key(key)) }
    func position(_ s: DashboardState) -> Int { if case .replay(let r) = s.mode { r.position } else { -1 } }

    /// The reducer is pure, so rebuilding from the first record is exact: a seek
    /// back lands on the very state that playing up to that point gives.
    func testSeekingBackEqualsPlayingFromTheStart() {
        let records = S.withSearch() + S.w4a4Run().map { EventRecord(time: $0.time + 200, event: $0.event) }
        let end = S.state(records, from: fresh())
        XCTAssertEqual(position(end), records.count)
        for k in [0, 1, 7, records.count / 3, records.count / 2, records.count - 1] {
            let played = S.state(Array(records[0..<k]), from: fresh())
            var sought = DashboardReducer.update(end, .replayJumped(ReplayJump(position: k, fromStart: true, records: records[0..<k]))).0
            XCTAssertNotNil(sought.notice, "a seek says where it landed")
            sought.notice = nil
            XCTAssertEqual(sought, played, "seek back to \(k)")
            XCTAssertEqual(position(sought), k)
        }
        // Forwards needs only the records in between.
        let half = records.count / 2
        var forward = DashboardReducer.update(S.state(Array(records[0..<10]), from: fresh()),
                                              .replayJumped(ReplayJump(position: half, fromStart: false, records: records[10..<half]))).0
        forward.notice = nil
        XCTAssertEqual(forward, S.state(Array(records[0..<half]), from: fresh()))
    }

    /// A long recording (100k events) rebuilds in one message; the loss curve is bounded, so the state stays small.
    func testSeekBackInALongRecordingIsOneReduction() {
        let records = [S.record(0, .sessionStarted(S.info)), S.record(0.5, .stateChanged(.running)),
                       S.record(1, .unitStarted(UnitStarted(unit: 0, name: "stem", phase: .weights, iterations: 100_000, warmupIterations: 20_000)))]
            + S.iterations(unit: 0, to: 100_000, total: 100_000, every: 1, start: 0.5, end: 0.1, t0: 1)
        let end = S.state(records, from: fresh())
        let k = 60_000
        var sought = DashboardReducer.update(end, .replayJumped(ReplayJump(position: k, fromStart: true, records: records[0..<k]))).0
        sought.notice = nil
        XCTAssertEqual(sought.currentIteration, k - 3)
        XCTAssertEqual(sought, S.state(Array(records[0..<k]), from: fresh()))
    }

    /// What the user arranged survives a rebuild; the recording's state does not leak from the later point.
    func testRebuildKeepsTheViewerSettings() {
        var s = S.state(S.withSearch(), from: fresh())
        s.focus = .log
        s.logScale = true
        s = DashboardReducer.update(s, .replayJumped(ReplayJump(position: 0, fromStart: true, records: []))).0
        XCTAssertEqual(s.focus, .log)
        XCTAssertTrue(s.logScale)
        XCTAssertNil(s.session)
        XCTAssertTrue(s.units.isEmpty)
        XCTAssertEqual(s.log.count, 0)
    }

    func testSeekTargetsByUnitStepFractionAndStart() {
        let records = S.w4a4Run()
        let clock = FakeClock()
        let player = ReplaySession(records: records, clock: clock.read)
        let starts = ReplayTimeline.unitStarts(records)
        // Each unit starts once although it has a weights and an activations phase.
        XCTAssertEqual(starts.map(\.unit), [1, 2, 3])

        var jump = player.seek(.unit(forward: true))
        XCTAssertEqual(jump.position, starts[0].index + 1)
        XCTAssertFalse(jump.fromStart)
        jump = player.seek(.unit(forward: true))
        XCTAssertEqual(jump.position, starts[1].index + 1)
        _ = player.seek(.step)
        jump = player.seek(.step)
        guard case .iteration(let it) = records[jump.position - 1].event else { return XCTFail("a step ends on an iteration") }
        XCTAssertEqual(it.unit, 2)
        XCTAssertEqual(jump.records.count, 1, "one logged iteration per step")
        // Back from inside unit 2 goes to its start, then to unit 1's.
        jump = player.seek(.unit(forward: false))
        XCTAssertEqual(jump.position, starts[1].index + 1)
        XCTAssertTrue(jump.fromStart)
        XCTAssertEqual(jump.records.count, jump.position)
        XCTAssertEqual(player.seek(.unit(forward: false)).position, starts[0].index + 1)
        XCTAssertEqual(player.seek(.unit(forward: false)).position, 0)
        XCTAssertEqual(player.seek(.unitNumber(3)).position, starts[1].index + 1, "g 3: the third unit in the panel (index 2)")
        XCTAssertEqual(player.seek(.unitNumber(99)).position, starts[1].index + 1, "no such unit: stay")

        // A tenth of the run each way, in playback time.
        _ = player.seek(.start)
        let tenth = player.seek(.fraction(0.1)).position
        let duration = player.duration
        XCTAssertGreaterThan(records[tenth - 1].time, 0.05 * duration)
        XCTAssertLessThanOrEqual(records[tenth - 1].time, 0.1 * duration + 1e-9)
        let twoTenths = player.seek(.fraction(0.1)).position
        XCTAssertGreaterThan(twoTenths, tenth)
        let back = player.seek(.fraction(-0.1)).position
        XCTAssertLessThanOrEqual(back, tenth)
        XCTAssertGreaterThan(back, 0)
        XCTAssertEqual(player.seek(.start).position, 0)
        // Playback carries on from the new position.
        _ = player.seek(.position(20))
        clock.now.withLock { $0 += 1000 }
        XCTAssertEqual(player.drainEvents().first, records[20])
    }

    func testLectureKeysInAReplay() {
        var s = S.state(S.midRun(), from: fresh())
        s = DashboardReducer.update(s, .replayProgress(ReplayProgress(eventCount: 200, endTime: 71, duration: 71, follow: nil))).0
        XCTAssertEqual(press(s, .character("[")).1, [.replay(.seek(.unit(forward: false)))])
        XCTAssertEqual(press(s, .character("]")).1, [.replay(.seek(.unit(forward: true)))])
        XCTAssertEqual(press(s, .character("<")).1, [.replay(.seek(.fraction(-0.1)))], "< seeks; speed is + and -")
        XCTAssertEqual(press(s, .character(">")).1, [.replay(.seek(.fraction(0.1)))])
        XCTAssertEqual(press(s, .character("0")).1, [.replay(.seek(.start))])
        XCTAssertEqual(press(s, .character("R")).1, [.replay(.seek(.start))])

        // Step pauses a playing replay first, then steps.
        let (stepped, stepEffects) = press(s, .character("."))
        XCTAssertEqual(stepEffects, [.replay(.setPaused(true)), .replay(.seek(.step))])
        guard case .replay(let r) = stepped.mode else { return XCTFail() }
        XCTAssertTrue(r.paused)
        XCTAssertEqual(press(stepped, .character(".")).1, [.replay(.seek(.step))])

        // g opens a prompt; a unit out of range is refused there.
        var g = press(s, .character("g")).0
        XCTAssertEqual(g.overlay, .gotoUnit(""))
        g = press(g, .character("9")).0
        var (refused, none) = press(g, .enter)
        XCTAssertEqual(none, [])
        XCTAssertEqual(refused.overlay, .gotoUnit("9"))
        XCTAssertEqual(refused.notice?.isError, true)
        refused = press(refused, .backspace).0
        refused = press(refused, .character("4")).0
        let (gone, goEffects) = press(refused, .enter)
        XCTAssertEqual(goEffects, [.replay(.seek(.unitNumber(4)))])
        XCTAssertNil(gone.overlay)
    }

    func testBookmarksToggleAndJumpRoundTheList() {
        var s = fresh()
        s = S.state(Array(S.midRun()[0..<30]), from: s)
        let (marked, effects) = press(s, .character("B"))
        XCTAssertEqual(effects, [.replay(.saveBookmarks([30]))])
        // No bookmark after 30: ' goes round to the first one.
        XCTAssertEqual(press(marked, .character("'")).1, [.replay(.seek(.position(30)))])
        var later = S.state(Array(S.midRun()[30..<50]), from: marked)
        later = press(later, .character("B")).0
        let back = DashboardReducer.update(later, .replayJumped(ReplayJump(position: 10, fromStart: true, records: S.midRun()[0..<10]))).0
        guard case .replay(let r) = back.mode else { return XCTFail() }
        XCTAssertEqual(r.bookmarks, [30, 50], "bookmarks survive a seek")
        XCTAssertEqual(press(back, .character("'")).1, [.replay(.seek(.position(30)))])
        // B again where one is removes it.
        let removed = press(later, .character("B"))
        XCTAssertEqual(removed.1, [.replay(.saveBookmarks([30]))])
        XCTAssertEqual(press(fresh(), .character("'")).0.notice?.isError, true, "no bookmarks: said, not silent")
    }

    /// In a live session the lecture keys do nothing at all: no command, no state change.
    func testLectureKeysDoNothingLive() {
        let live = S.state(S.midRun(), from: DashboardState(mode: .live, size: size))
        for c in ["[", "]", "<", ">", "g", ".", "0", "R", "B", "'"] {
            let (next, effects) = press(live, .character(Character(c)))
            XCTAssertEqual(effects, [], c)
            XCTAssertEqual(next, live, c)
        }
    }

    func testHelpAndHintsNameTheLectureKeys() {
        var s = S.state(S.midRun(), from: fresh(paused: true))
        s = DashboardReducer.update(s, .replayProgress(ReplayProgress(eventCount: 200, endTime: 71, duration: 71, follow: nil))).0
        let help = DashboardView.render(press(s, .character("?")).0, size: size, charset: .unicode).text
        for keys in ["[ / ]", "< / >", "0 / R", "jump to the next bookmark", "go to a unit by number"] {
            XCTAssertTrue(help.contains(keys), keys)
        }
        let hints = DashboardView.render(s, size: size, charset: .unicode).row(39)
        XCTAssertTrue(hints.contains(". step"), hints)
        XCTAssertFalse(hints.contains("next mark"), "no bookmarks yet: ' would do nothing")
    }

    func testHeaderShowsThePositionInTheRecording() {
        var s = S.state(S.midRun(), from: DashboardState(mode: .replay(ReplayStatus(paused: true)), size: TerminalSize(width: 80, height: 24)))
        s = DashboardReducer.update(s, .replayProgress(ReplayProgress(eventCount: 200, endTime: 142, duration: 142, follow: nil))).0
        let grid = DashboardView.render(s, size: s.size, charset: .unicode)
        let count = S.midRun().count
        XCTAssertTrue(grid.row(1).contains("event \(count)/200"), grid.row(1))
        XCTAssertTrue(grid.row(1).contains("01:11 / 02:22"), grid.row(1))
        assertSnapshot(grid, named: "replay-position-80x24")
        assertSnapshot(DashboardView.render(s, size: s.size, charset: .ascii), named: "replay-position-80x24-ascii")
    }

    func testFollowedRecordingSaysWhenItWaitsAndWhenItEnded() {
        let records = S.midRun()
        let count = records.count
        var s = S.state(Array(records.dropLast()), from: fresh())
        // The follower has read the finished event while playback is one behind: not ended on screen yet.
        s = DashboardReducer.update(s, .replayProgress(ReplayProgress(eventCount: count, endTime: 71, duration: 71, follow: .ended))).0
        XCTAssertFalse(DashboardView.render(s, size: size, charset: .unicode).row(1).contains("recording ended"))
        XCTAssertFalse(s.log.entries.contains { $0.text.contains("has ended") })
        s = DashboardReducer.update(s, .engine(records.last!)).0
        XCTAssertTrue(s.log.entries.contains { $0.text.contains("has ended") }, "said when playback reaches the end")
        s = DashboardReducer.update(s, .replayProgress(ReplayProgress(eventCount: count, endTime: 71, duration: 71, follow: .following(idleSeconds: 42)))).0
        var header = DashboardView.render(s, size: size, charset: .unicode).row(1)
        XCTAssertTrue(header.contains("waiting for more (last event 00:42 ago)"), header)
        XCTAssertTrue(DashboardView.render(s, size: size, charset: .unicode).row(0).contains("FOLLOW ×1"))
        s = DashboardReducer.update(s, .replayProgress(ReplayProgress(eventCount: count, endTime: 71, duration: 71, follow: .ended))).0
        header = DashboardView.render(s, size: size, charset: .unicode).row(1)
        XCTAssertTrue(header.contains("recording ended"), header)
        XCTAssertTrue(s.log.entries.contains { $0.text.contains("has ended") })
    }
}
