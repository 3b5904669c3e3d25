import XCTest
import Engine
@testable import Dashboard

/// What the dashboard shows of a 224×224 model (issue #18): the input shape in
/// the header, the model's directory kept at 80 columns (every export is
/// `model.onnx`), and the engine's `progress` stages while no unit iterates:
/// decoding an image folder before the session starts, preparing a unit between
/// two. Snapshots at 80×24; re-record with BRECQ_RECORD_SNAPSHOTS=1.
final class ImageNetScreenTests: XCTestCase {
    typealias S = SyntheticSession
    static let small = TerminalSize(width: 80, height: 24)

    static var info: SessionInfo {
        var info = S.info
        info.model = "/home/user/models/resnet18/model.onnx"
        info.data = "/home/user/data/imagenet-val"
        info.inputShape = [3, 224, 224]
        return info
    }

    static func progress(_ t: Double, _ stage: String, _ done: Int, _ total: Int) -> EventRecord {
        S.record(t, .progress(StageProgress(stage: stage, done: done, total: total)))
    }

    /// Before `session_started`: the decoding stage, its count and bar, in the header and the empty panels.
    func testDecodingBeforeTheSession() {
        var s = S.state([Self.progress(2.5, "decoding training images", 40, 64)])
        s.now = 0
        let grid = DashboardView.render(s, size: Self.small, charset: .unicode)
        assertSnapshot(grid, named: "imagenet-decoding-80x24-utf8")
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(rows[1].contains("decoding training images 40/64 ━━━━━━────"), String(rows[1]))
        // The narrow units panel wraps it rather than cutting the count ("40/6").
        XCTAssertTrue(rows[4].contains("│ decoding training images "), "the empty units panel says it too:\n\(grid.text)")
        XCTAssertTrue(rows[5].contains("│ 40/64 "), "the count stays whole:\n\(grid.text)")
        XCTAssertFalse(rows.dropFirst().contains { $0.contains("waiting for the session") }, grid.text)
        assertSnapshot(DashboardView.render(s, size: Self.small, charset: .ascii), named: "imagenet-decoding-80x24-ascii")
    }

    /// Without any progress event yet, the state says what the engine is doing; a finished stage says nothing.
    func testStatesBeforeTheSession() {
        XCTAssertEqual(DashboardState().activity, "loading the model and data…")
        XCTAssertEqual(S.state([S.record(1, .stateChanged(.calibrating))]).activity, "calibrating the quantizers…")
        let decoded = S.state([Self.progress(2, "decoding evaluation images", 4, 4)])
        XCTAssertEqual(decoded.activity, "loading the model and data…", "a finished stage is not shown")
        // A state change ends the stage that led to it.
        let calibrating = S.state([Self.progress(2, "decoding evaluation images", 3, 4), S.record(3, .stateChanged(.calibrating))])
        XCTAssertNil(calibrating.progress)
        XCTAssertEqual(calibrating.activity, "calibrating the quantizers…")
    }

    /// Between units: "preparing layer3.0…" until the unit starts; the header keeps the shape and the model's directory.
    func testPreparingBetweenUnits() {
        var records = S.midRun().prefix { if case .unitStarted(let u) = $0.event { u.unit != 3 } else { true } }.map { $0 }
        records[0] = S.record(0, .sessionStarted(Self.info))
        records.append(Self.progress(62, "preparing layer3.0", 0, 1))
        var s = S.state(records)
        s.now = 0
        let grid = DashboardView.render(s, size: Self.small, charset: .unicode)
        assertSnapshot(grid, named: "imagenet-preparing-80x24-utf8")
        let rows = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(rows[0].contains("brecq W4A8 block · 3×224×224 · …/resnet18/model.onnx"), String(rows[0]))
        XCTAssertTrue(rows[1].hasPrefix(" preparing layer3.0… · units 3/5 done"), String(rows[1]))
        XCTAssertFalse(s.log.entries.contains { $0.text.contains("preparing") }, "progress is not logged")

        // The unit starting ends the stage.
        let started = DashboardReducer.update(s, .engine(S.record(63, .unitStarted(UnitStarted(
            unit: 3, name: "layer3.0", phase: .weights, iterations: 2000, warmupIterations: 400))))).0
        XCTAssertNil(started.activity)
        XCTAssertFalse(DashboardView.render(started, size: Self.small, charset: .unicode).text.contains("preparing"))
        assertSnapshot(DashboardView.render(s, size: Self.small, charset: .ascii), named: "imagenet-preparing-80x24-ascii")
    }

    /// Recordings from before `input_shape` existed show no shape; a hostile one is refused, naming the field.
    func testInputShapeFromRecordings() throws {
        var old = Self.info
        old.inputShape = nil
        let line = try EventLog.line(for: S.record(0, .sessionStarted(old)))
        XCTAssertFalse(line.contains("input_shape"))
        guard case .sessionStarted(let decoded) = try EventLog.record(fromLine: Data(line.utf8)).event else { return XCTFail(line) }
        XCTAssertNil(decoded.inputShape)

        let withShape = try EventLog.line(for: S.record(0, .sessionStarted(Self.info)))
        XCTAssertTrue(withShape.contains("\"input_shape\":[3,224,224]"), withShape)
        let hostile = withShape.replacingOccurrences(of: "\"input_shape\":[3,224,224]", with: "\"input_shape\":[3,-224,224]")
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(hostile.utf8))) { error in
            XCTAssertTrue("\(error)".contains("input_shape[1]"), "\(error)")
        }
        let progress = try EventLog.line(for: Self.progress(1, "decoding training images", 5, 4))
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(progress.utf8)), "done beyond total")
    }
}
