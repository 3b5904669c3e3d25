import XCTest
import Engine
@testable import Dashboard

/// Screens added for issue #15, kept as snapshots so that a change to them is seen.
/// Re-record with BRECQ_RECORD_SNAPSHOTS=1 after an intended change.
final class TruthSnapshotTests: XCTestCase {
    typealias S = SyntheticSession
    static let small = TerminalSize(width: 80, height: 24)

    func testLockConfirmationPausedHeaderAndReplayHelp() {
        var bits = S.state(S.midRun(), from: DashboardState(size: Self.small))
        bits.focus = .bits
        bits.selectedLayer = 6
        let confirm = DashboardReducer.update(bits, .key(.character("b"))).0
        assertSnapshot(DashboardView.render(confirm, size: Self.small, charset: .unicode), named: "overlay-lock-80x24-utf8")

        var paused = S.state(S.midRun(), from: DashboardState(size: Self.small))
        paused = DashboardReducer.update(paused, .tick(now: 10)).0
        paused = DashboardReducer.update(paused, .engine(EventRecord(time: 71.2, event: .stateChanged(.paused)))).0
        paused = DashboardReducer.update(paused, .tick(now: 25)).0
        assertSnapshot(DashboardView.render(paused, size: Self.small, charset: .unicode), named: "paused-80x24-utf8")

        let replay = S.state(S.midRun(), from: DashboardState(mode: .replay(ReplayStatus(speed: 20, duration: 120)), size: Self.small))
        let help = DashboardReducer.update(replay, .key(.character("?"))).0
        assertSnapshot(DashboardView.render(help, size: Self.small, charset: .unicode), named: "replay-help-80x24-utf8")
    }
}
