import Foundation
import XCTest
@testable import Engine
import Network
import Quantization

/// The shared types behind events (`RunSettings`, `StepStats`, `EvaluationResult`)
/// write exactly what logs written before them hold: lines recorded by the
/// engine before these types existed read back and write out byte for byte.
final class EventLogFormatTests: XCTestCase {
    /// From a `brecq quantize` run's `--events` file (units and layers cut to one each).
    static let recorded = [
        #"{"abits":4,"activation_iterations":10,"calibration_size":64,"data":"fashion-mnist","granularity":"block","hyperparameters":{"activation_learning_rate":0.0004,"activation_p":2.4,"batch_size":32,"beta_end":2,"beta_start":20,"learning_rate":0.001,"loss":"mse","p":2,"qdrop":0,"round_weight":0.01,"warmup":0.2},"iterations":20,"layers":[{"abits":32,"kind":"conv","locked":false,"macs":112896,"name":"/stem/Conv","params":160,"unit":0,"wbits":8}],"method":"brecq","model":"Examples/fashion-resnet20/model.onnx","seed":3,"t":2.471702775999802,"type":"session_started","units":[{"index":0,"kind":"stem","layers":["/stem/Conv"],"macs":112896,"name":"stem","output_shape":[16,28,28],"params":160}],"wbits":2}"#,
        #"{"beta":13.25,"hard_loss":0.19303623539139042,"iteration":10,"iterations":20,"iterations_per_second":153.42891688866882,"phase":"weights","reconstruction_loss":0.13035001403804183,"regularizer_loss":42.65094757080078,"t":11.163067364999733,"type":"iteration","unit":1}"#,
        #"{"images":200,"model":"fp","t":2.7856954420003603,"top1":94.5,"top5":100,"type":"evaluation"}"#,
    ]

    func testRecordedLinesReadAndWriteBackUnchanged() throws {
        for line in Self.recorded {
            let record = try EventLog.record(fromLine: Data(line.utf8))
            XCTAssertEqual(try EventLog.line(for: record), line)
        }
    }

    func testRecordedLinesKeepTheirMeaning() throws {
        guard case .sessionStarted(let info) = try EventLog.record(fromLine: Data(Self.recorded[0].utf8)).event,
              case .iteration(let step) = try EventLog.record(fromLine: Data(Self.recorded[1].utf8)).event,
              case .evaluation(let evaluation) = try EventLog.record(fromLine: Data(Self.recorded[2].utf8)).event else {
            return XCTFail("wrong event types")
        }
        XCTAssertEqual(info.settings, RunSettings(model: "Examples/fashion-resnet20/model.onnx", data: "fashion-mnist", method: .brecq,
                                                  wbits: 2, abits: 4, granularity: .block, iterations: 20, activationIterations: 10, seed: 3))
        XCTAssertEqual(info.calibrationSize, 64)
        XCTAssertEqual(step.unit, 1)
        XCTAssertEqual(step.phase, .weights)
        XCTAssertEqual(step.iteration, 10)
        XCTAssertEqual(step.hardLoss, 0.19303623539139042)
        XCTAssertEqual(evaluation, EvaluationResult(model: .fp, images: 200, top1: 94.5, top5: 100))
    }

    /// The `rewound` event: its line, read back to the same event; a unit out of
    /// range is refused naming the field, terminal escapes in its text are defused.
    func testRewoundLinesReadWriteAndAreChecked() throws {
        let line = #"{"name":"layer2","reason":"lock layer2.0.conv1 at W8A4","t":12.5,"type":"rewound","unit":2}"#
        let record = try EventLog.record(fromLine: Data(line.utf8))
        XCTAssertEqual(record, EventRecord(time: 12.5, event: .rewound(Rewound(unit: 2, name: "layer2", reason: "lock layer2.0.conv1 at W8A4"))))
        XCTAssertEqual(try EventLog.line(for: record), line)
        for bad in [#"{"name":"x","reason":"r","t":1,"type":"rewound","unit":-1}"#,
                    #"{"name":"x","reason":"r","t":1,"type":"rewound","unit":9223372036854775807}"#] {
            XCTAssertThrowsError(try EventLog.record(fromLine: Data(bad.utf8))) { error in
                XCTAssertTrue("\(error)".contains("unit"), "\(error)")
            }
        }
        XCTAssertThrowsError(try EventLog.record(fromLine: Data(#"{"name":"x","t":1,"type":"rewound","unit":1}"#.utf8)))
        let escaped = try EventLog.record(fromLine: Data(#"{"name":"x","reason":"\u001b]0;pwned\u0007","t":1,"type":"rewound","unit":1}"#.utf8))
        guard case .rewound(let r) = escaped.event else { return XCTFail() }
        XCTAssertFalse(r.reason.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, r.reason)
    }

    /// A method or granularity the program does not know is an unreadable line
    /// that names the field and the value, not a crash or a silent default.
    func testUnknownMethodOrGranularityIsRefusedNamingTheField() {
        for (field, value) in [("method", "magic"), ("granularity", "channel")] {
            let line = Self.recorded[0].replacingOccurrences(of: #""\#(field)":"\#(field == "method" ? "brecq" : "block")""#,
                                                             with: #""\#(field)":"\#(value)""#)
            XCTAssertNotEqual(line, Self.recorded[0])
            XCTAssertThrowsError(try EventLog.record(fromLine: Data(line.utf8))) { error in
                XCTAssertTrue("\(error)".contains("unknown \(field) '\(value)'"), "\(error)")
            }
        }
    }
}
