import Foundation
import XCTest
@testable import Engine
import Network
import Quantization

final class EventLogTests: XCTestCase {
    static let sample: [EventRecord] = [
        EventRecord(time: 0, event: .stateChanged(.running)),
        EventRecord(time: 0.5, event: .unitStarted(UnitStarted(unit: 1, name: "block1", phase: .weights, iterations: 100, warmupIterations: 20))),
        EventRecord(time: 1, event: .iteration(IterationStats(unit: 1, phase: .weights, iteration: 10, iterations: 100,
                                                              reconstructionLoss: 0.25, regularizerLoss: 3, beta: 20, iterationsPerSecond: 150))),
        EventRecord(time: 2, event: .unitFinished(UnitFinished(unit: 1, name: "block1", status: .done, lossBefore: 0.5, lossAfter: 0.125, seconds: 1.5))),
        EventRecord(time: 2.5, event: .hyperparametersChanged(Hyperparameters())),
        EventRecord(time: 3, event: .evaluation(EvaluationResult(model: .quantized(.init(done: 3, total: 11)), images: 100, top1: 91.5, top5: 99, kl: 0.01))),
        EventRecord(time: 4, event: .message(Message(level: .error, text: "unknown layer 'x'"))),
        EventRecord(time: 5, event: .finished(RunSummary(fpTop1: 93, quantTop1: 92.5, wallSeconds: 5))),
    ]

    func testEveryEventRoundTripsThroughOneJSONLine() throws {
        for record in Self.sample {
            let line = try EventLog.line(for: record)
            XCTAssertFalse(line.contains("\n"))
            let back = try EventLog.makeDecoder().decode(EventRecord.self, from: Data(line.utf8))
            XCTAssertEqual(back, record, line)
        }
    }

    func testLinesAreFlatSnakeCaseObjects() throws {
        let line = try EventLog.line(for: Self.sample[3])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["type"] as? String, "unit_finished")
        XCTAssertEqual(object["loss_before"] as? Double, 0.5)
        XCTAssertEqual(object["t"] as? Double, 2)
    }

    func testReadReportsFileAndLineOfABadRecord() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let good = try EventLog.line(for: Self.sample[0])
        try (good + "\n\n" + #"{"t": 1, "type": "iteration"}"# + "\n").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try EventLog.read(contentsOf: url)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("\(url.path):3:"), text)
        }
    }

    func testUnknownTypeIsRejected() {
        let line = #"{"t": 1, "type": "launch_rockets"}"#
        XCTAssertThrowsError(try EventLog.makeDecoder().decode(EventRecord.self, from: Data(line.utf8)))
    }
}
