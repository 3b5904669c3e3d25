import Foundation
import TestFixtures
import XCTest

/// `brecq analyze` as a user runs it: round-to-nearest or a checkpoint, the table worst-first, the same figures in the
/// JSON, the same report for the same seed, and the live run's events.
final class AnalyzeCommandTests: TinyModelTestCase {
    private func analyze(_ extra: [String]) throws -> CommandResult {
        try CommandRun.brecq(["analyze", "--model", model.model, "--data", model.path, "--images", "60", "--seed", "5"] + extra)
    }

    private func report(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return try XCTUnwrap(object?["report"] as? [String: Any])
    }

    func testRoundToNearestTableIsWorstFirstAndTheJSONHoldsTheSameFiguresForTheSameSeed() throws {
        let first = try analyze(["--wbits", "2", "--abits", "4", "--json", model.file("a.json")])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("analyze: "), "progress on stderr")
        let layers = try XCTUnwrap(try report(model.file("a.json"))["layers"] as? [[String: Any]])
        XCTAssertGreaterThan(layers.count, 1)
        let decibels = layers.map { (($0["accumulated"] as? [String: Any])?["noiseToSignalDecibels"] as? Double) ?? .nan }
        // The table's rows, in order, are the layers sorted by decreasing dB.
        let rows = first.stdout.split(separator: "\n").filter { line in layers.contains { line.hasPrefix(String(($0["layer"] as! String).prefix(32))) } }
        XCTAssertEqual(rows.count, layers.count)
        let printed = rows.map { Double($0.split(separator: " ", omittingEmptySubsequences: true)[2])! }
        XCTAssertEqual(printed, printed.sorted(by: >), "worst first")
        XCTAssertEqual(printed, decibels.sorted(by: >).map { ($0 * 100).rounded() / 100 }, "the JSON's figures")
        let again = try analyze(["--wbits", "2", "--abits", "4", "--json", model.file("b.json")])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try report(model.file("a.json")) as NSDictionary, try report(model.file("b.json")) as NSDictionary)
    }

    func testACheckpointIsAnalysedAndTheLiveRunEmitsItsAnalyses() throws {
        let checkpoint = model.file("ck")
        let events = model.file("events.jsonl")
        let run = try CommandRun.brecq(model.quantizeArguments(iterations: 20, extra: [
            "--checkpoint", checkpoint, "--events", events, "--analysis-images", "20"]))
        XCTAssertEqual(run.status, 0, run.stderr)
        let analyses = try readEventLog(events).filter { $0["type"] as? String == "analysis" }
        XCTAssertFalse(analyses.isEmpty, "the live run emits analysis events")
        for a in analyses {
            let layers = (a["report"] as? [String: Any])?["layers"] as? [[String: Any]] ?? []
            XCTAssertFalse(layers.isEmpty)
        }
        let result = try analyze(["--checkpoint", checkpoint, "--json", model.file("ck.json")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("units done"), result.stdout)
        XCTAssertFalse(try XCTUnwrap(try report(model.file("ck.json"))["layers"] as? [[String: Any]]).isEmpty)
    }

    func testCheckpointAndBitsExcludeEachOther() throws {
        let result = try analyze(["--checkpoint", model.file("ck"), "--wbits", "4"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--checkpoint analyses the checkpointed bits"), result.stderr)
    }
}
