import Engine
import Quantization
import XCTest
@testable import BrecqCLI

/// What a headless run prints for the slow stages between iterations
/// (decoding, preparing a unit): a redrawn bar on a terminal, one line per
/// counted stage in a log, and names from the model shown, not executed.
final class ProgressReporterTests: XCTestCase {
    private let info = SessionInfo(
        model: "m.onnx", data: "images", method: .brecq, wbits: 4, abits: 4, granularity: .block,
        iterations: 20, activationIterations: 10, calibrationSize: 64, seed: 0, hyperparameters: Hyperparameters(),
        units: [UnitInfo(index: 0, name: "stem", kind: "stem", layers: ["c"], outputShape: [1, 8, 4, 4], params: 1, macs: 1),
                UnitInfo(index: 1, name: "block\u{1B}]0;x\u{07}1", kind: "basic", layers: ["d"], outputShape: [1, 8, 4, 4],
                         params: 1, macs: 1)],
        layers: [])

    private func run(interactive: Bool, _ events: [EngineEvent]) -> String {
        var out = ""
        let reporter = ProgressReporter(interactive: interactive) { out += $0 }
        reporter.report(EventRecord(time: 0, event: .sessionStarted(info)))
        out = ""
        for (k, e) in events.enumerated() { reporter.report(EventRecord(time: Double(k), event: e)) }
        return out
    }

    private let decoding: [EngineEvent] = [
        .progress(StageProgress(stage: "decoding training images", done: 0, total: 1024)),
        .progress(StageProgress(stage: "decoding training images", done: 512, total: 1024)),
        .progress(StageProgress(stage: "decoding training images", done: 1024, total: 1024)),
        .progress(StageProgress(stage: "preparing", done: 0, total: 1, unit: 1)),
    ]

    func testALogGetsOneLinePerCountedStageAndNothingForTheRest() {
        XCTAssertEqual(run(interactive: false, decoding), "decoding training images: 1024/1024\n")
    }

    func testATerminalRedrawsOneLineWithTheStageAndItsCount() {
        let out = run(interactive: true, decoding)
        let frames = out.components(separatedBy: "\r\u{1B}[2K").filter { !$0.isEmpty }
        XCTAssertEqual(frames.count, 4, out.debugDescription)
        XCTAssertEqual(frames[1], "decoding training images [###############...............] 512/1024")
        XCTAssertEqual(frames[2], "decoding training images [##############################] 1024/1024")
        // The unit's name comes from the model: its escape sequence is shown as text.
        XCTAssertTrue(frames[3].hasPrefix("preparing block"), frames[3].debugDescription)
        XCTAssertFalse(frames[3].contains("\u{1B}") || frames[3].contains("\u{07}"), frames[3].debugDescription)
        XCTAssertTrue(frames[3].hasSuffix("1…"), frames[3].debugDescription)
        // The next line clears the stage first rather than writing after it.
        var out2 = ""
        let reporter = ProgressReporter(interactive: true) { out2 += $0 }
        reporter.report(EventRecord(time: 0, event: .sessionStarted(info)))
        reporter.report(EventRecord(time: 1, event: decoding[3]))
        reporter.report(EventRecord(time: 2, event: .checkpointWritten(CheckpointWritten(path: "/c", unitsDone: 1))))
        XCTAssertTrue(out2.contains("…\r\u{1B}[2Kcheckpoint /c (1 units done)\n"), out2.debugDescription)
    }
}
