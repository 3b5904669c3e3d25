import TestFixtures
import XCTest

/// SIGINT during `brecq quantize` stops it with a resume hint; `--resume DIR`
/// then completes to the same summary as an uninterrupted run (times aside).
/// A second SIGTERM leaves at once and corrupts nothing.
final class InterruptResumeTests: TinyModelTestCase {
    func testInterruptedRunResumesToTheSameSummary() throws {
        let checkpoint = model.file("ck")
        let interrupted = try CommandRun.brecq(model.quantizeArguments(iterations: 400, extra: ["--checkpoint", checkpoint])) { child, stderr in
            // Interrupt once the first block is under way (the stem's checkpoint is written by then).
            try CommandRun.waitUntil(timeout: 120, "the first block to start", describe: stderr) {
                stderr().contains("unit 2/5 block1")
            }
            child.send(SIGINT)
        }
        XCTAssertNotEqual(interrupted.status, 0, "an interrupted run must not exit 0:\n\(interrupted.stderr)")
        XCTAssertTrue(interrupted.stderr.contains("--resume \(checkpoint)"), "no resume hint:\n\(interrupted.stderr)")
        XCTAssertFalse(interrupted.stderr.contains("done in"), "the run finished before the interrupt took effect:\n\(interrupted.stderr)")

        let resumedSummary = model.file("resumed.json")
        let resumed = try CommandRun.brecq(model.quantizeArguments(iterations: 400, extra: [
            "--checkpoint", checkpoint, "--resume", checkpoint, "--summary", resumedSummary]))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)

        let referenceSummary = model.file("reference.json")
        let reference = try CommandRun.brecq(model.quantizeArguments(iterations: 400, extra: [
            "--checkpoint", model.file("ck-reference"), "--summary", referenceSummary]))
        XCTAssertEqual(reference.status, 0, reference.stderr)

        let a = try Self.timeless(resumedSummary), b = try Self.timeless(referenceSummary)
        XCTAssertEqual(a, b, "resumed and uninterrupted summaries differ")
    }

    func testSecondSIGTERMLeavesAtOnceAndTheCheckpointStillResumes() throws {
        let checkpoint = model.file("ck")
        let interrupted = try CommandRun.brecq(model.quantizeArguments(iterations: 400, extra: ["--checkpoint", checkpoint])) { child, stderr in
            try CommandRun.waitUntil(timeout: 120, "the first block to start", describe: stderr) { stderr().contains("unit 2/5 block1") }
            child.send(SIGTERM)
            try CommandRun.waitUntil(timeout: 30, "the stop notice", describe: stderr) { stderr().contains("stopping after this iteration") }
            child.send(SIGTERM)
        }
        XCTAssertNotEqual(interrupted.status, 0, interrupted.stderr)
        XCTAssertFalse(interrupted.stderr.contains("done in"), interrupted.stderr)
        let resumed = try CommandRun.brecq(model.quantizeArguments(iterations: 400, extra: ["--checkpoint", checkpoint, "--resume", checkpoint]))
        XCTAssertEqual(resumed.status, 0, "the checkpoint left by a forced exit must resume:\n\(resumed.stderr)")
        XCTAssertTrue(resumed.stderr.contains("done in"), resumed.stderr)
    }

    /// The summary re-serialised with sorted keys and without wall-clock fields.
    static func timeless(_ path: String) throws -> String {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !["wall_seconds", "seconds"].contains($0.key) }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let data = try JSONSerialization.data(withJSONObject: strip(object), options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}
