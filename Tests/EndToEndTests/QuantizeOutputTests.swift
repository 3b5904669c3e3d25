import TestFixtures
import XCTest

/// `brecq quantize` on the tiny model writes a JSON Lines event log and a summary with the documented keys.
final class QuantizeOutputTests: TinyModelTestCase {
    func testWritesEventLogAndSummary() throws {
        let events = model.file("events.jsonl"), summary = model.file("summary.json")
        let result = try CommandRun.brecq(model.quantizeArguments(extra: [
            "--events", events, "--summary", summary, "--checkpoint", model.file("ck")]))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("done in"), "no final progress line:\n\(result.stderr)")
        XCTAssertTrue(result.stderr.contains(", peak memory "), "the final line says the peak memory:\n\(result.stderr)")
        // The whole run's cost, said once (after 50 iterations of block1), refined in the log only.
        let estimateLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("estimated total: ") }
        XCTAssertEqual(estimateLines.count, 1, result.stderr)
        XCTAssertTrue(estimateLines.first?.contains(" it/s on block1") == true, result.stderr)

        let records = try readEventLog(events)
        XCTAssertFalse(records.isEmpty)
        for (index, record) in records.enumerated() {
            XCTAssertNotNil(record["type"] as? String, "line \(index + 1) has no type")
            XCTAssertNotNil(record["t"] as? Double, "line \(index + 1) has no time")
        }
        let types = records.compactMap { $0["type"] as? String }
        for expected in ["session_started", "unit_started", "iteration", "unit_finished", "evaluation", "checkpoint_written", "estimate", "finished"] {
            XCTAssertTrue(types.contains(expected), "no \(expected) event in \(Set(types).sorted())")
        }
        XCTAssertEqual(types.last, "finished")
        let times = records.compactMap { $0["t"] as? Double }
        XCTAssertEqual(times, times.sorted(), "event times go backwards")
        let iterations = records.filter { $0["type"] as? String == "iteration" }
        XCTAssertTrue(iterations.allSatisfy { $0["iterations_per_second"] is Double }, "iteration events need iterations_per_second")

        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary)))
        let json = try XCTUnwrap(object as? [String: Any])
        for key in ["fp_top1", "quant_top1", "units", "bits", "wall_seconds", "peak_rss_bytes", "activation_cache"] {
            XCTAssertNotNil(json[key], "summary lacks \(key): \(json.keys.sorted())")
        }
        XCTAssertTrue(json["fp_top1"] is Double && json["quant_top1"] is Double)
        XCTAssertGreaterThan(json["wall_seconds"] as? Double ?? 0, 0)
        // More than the calibration images alone (a process holding them), less than the machine.
        let peak = try XCTUnwrap(json["peak_rss_bytes"] as? Int)
        XCTAssertGreaterThan(peak, 1 << 20)
        XCTAssertLessThan(peak, Int(ProcessInfo.processInfo.physicalMemory))
        XCTAssertEqual(json["activation_cache"] as? String, "fp32", "auto keeps the tiny model in fp32")
        let units = try XCTUnwrap(json["units"] as? [[String: Any]])
        XCTAssertEqual(units.compactMap { $0["name"] as? String }, ["stem", "block1", "block2", "block3", "head"])
        let bits = try XCTUnwrap(json["bits"] as? [String: [String: Int]])
        XCTAssertEqual(bits.count, 10, "one entry per quantized layer")
        XCTAssertEqual(bits["/blocks/blocks.1/body/body.0/Conv"], ["wbits": 4, "abits": 4])
    }
}
