import Foundation
import XCTest
@testable import Engine
import Network

/// The evaluation's subject is typed, and event logs written before the type read the same.
final class EvaluationSubjectTests: XCTestCase {
    func decode(_ line: String) throws -> EventRecord {
        try EventLog.makeDecoder().decode(EventRecord.self, from: Data(line.utf8))
    }

    func testOlderLogLinesDecode() throws {
        let lines: [(String, EvaluationSubject)] = [
            (#"{"t":1,"type":"evaluation","model":"fp","images":100,"top1":0.9,"top5":0.99}"#, .fp),
            (#"{"t":2,"type":"evaluation","model":"quantized","images":100,"top1":0.9,"top5":0.99,"kl":0.1}"#, .quantized(nil)),
            (#"{"t":3,"type":"evaluation","model":"quantized (3/11 units)","images":100,"top1":0.9,"top5":0.99,"kl":0.1}"#,
             .quantized(.init(done: 3, total: 11))),
        ]
        for (line, subject) in lines {
            guard case .evaluation(let e) = try decode(line).event else { return XCTFail(line) }
            XCTAssertEqual(e.model, subject, line)
        }
    }

    func testSubjectsRoundTripAsTheOldStrings() throws {
        for subject: EvaluationSubject in [.fp, .quantized(nil), .quantized(.init(done: 4, total: 11))] {
            let record = EventRecord(time: 1, event: .evaluation(EvaluationResult(model: subject, images: 10, top1: 0.5, top5: 0.9, kl: nil)))
            let line = try EventLog.line(for: record)
            XCTAssertTrue(line.contains("\"model\":\"\(subject.description)\""), line)
            XCTAssertEqual(try decode(line), record)
        }
        XCTAssertEqual(EvaluationSubject.quantized(.init(done: 4, total: 11)).description, "quantized (4/11 units)")
        XCTAssertTrue(EvaluationSubject.quantized(.init(done: 4, total: 11)).isPartial)
        XCTAssertFalse(EvaluationSubject.quantized(.init(done: 11, total: 11)).isPartial)
        XCTAssertFalse(EvaluationSubject.fp.isPartial)
        // What people read names the count only while units remain.
        XCTAssertEqual(EvaluationSubject.quantized(.init(done: 11, total: 11)).label, "quantized")
        XCTAssertEqual(EvaluationSubject.quantized(.init(done: 4, total: 11)).label, "quantized (4/11 units)")
        XCTAssertEqual(EvaluationSubject.fp.label, "fp")
    }

    func testUnknownSubjectsAreRefused() {
        for text in ["int8", "quantized (5/3 units)", "quantized (a/b units)", ""] {
            XCTAssertNil(EvaluationSubject(text), text)
            let line = #"{"t":1,"type":"evaluation","model":"\#(text)","images":1,"top1":0,"top5":0}"#
            XCTAssertThrowsError(try decode(line), text)
        }
    }
}
