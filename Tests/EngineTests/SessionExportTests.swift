import Foundation
import Synchronization
import XCTest
@testable import Engine

/// `EngineCommand.export`: the runner writes the finished run off the engine
/// thread (which has ended by then) and answers with `exportFinished`.
final class SessionExportTests: TinyRunTestCase {
    func testAFinishedRunExportsOnCommandAsBrecqExportWould() throws {
        let checkpoint = tiny.directory.appendingPathComponent("ck").path
        let runner = SessionRunner(configuration: tiny.configuration(), options: .init(checkpointDirectory: checkpoint))
        runner.start()
        guard case .finished = runner.wait() else { return XCTFail("the run must finish") }
        _ = runner.drainEvents()
        // The exports directory does not exist yet: the export makes it.
        let output = tiny.directory.appendingPathComponent("exports/model-q.onnx").path
        runner.send(.export(checkpoint: checkpoint, output: output))
        runner.send(.export(checkpoint: tiny.directory.appendingPathComponent("absent").path, output: output + ".2"))
        _ = runner.wait()  // waits for the exports too
        let answers = runner.drainEvents().compactMap { record -> ExportFinished? in
            if case .exportFinished(let e) = record.event { e } else { nil }
        }
        XCTAssertEqual(answers.count, 2)
        let written = try XCTUnwrap(answers.first { $0.output == output })
        XCTAssertTrue(written.succeeded, written.text)
        let encodings = tiny.directory.appendingPathComponent("exports/model-q.encodings.json").path
        XCTAssertTrue(written.text.hasPrefix("wrote \(output) (") && written.text.hasSuffix(") and \(encodings)"), written.text)

        // The same files as the export step of `brecq export` makes from the checkpoint.
        let loaded = try QuantizedCheckpoint.load(directory: checkpoint, modelPath: tiny.modelPath)
        let direct = tiny.directory.appendingPathComponent("direct.onnx").path
        XCTAssertEqual(try ModelExport.write(graph: loaded.graph, model: loaded.model, output: direct, encodings: nil),
                       written.text.replacingOccurrences(of: output, with: direct).replacingOccurrences(of: encodings, with: direct.replacingOccurrences(of: ".onnx", with: ".encodings.json")))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), try Data(contentsOf: URL(fileURLWithPath: direct)))

        let refused = try XCTUnwrap(answers.first { $0.output == output + ".2" })
        XCTAssertFalse(refused.succeeded)
        XCTAssertTrue(refused.text.contains("absent"), refused.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + ".2"))
    }

    /// `wait` returns only once an export under way has answered, so leaving
    /// the dashboard right after `o` never cuts a write short.
    func testWaitWaitsForTheExportsUnderWay() throws {
        var configuration = tiny.configuration()
        configuration.modelPath = tiny.directory.appendingPathComponent("absent.onnx").path  // the run itself fails at once
        let exported = Mutex(false)
        let runner = SessionRunner(configuration: configuration, exporter: { _, output in
            Thread.sleep(forTimeInterval: 0.2)
            exported.withLock { $0 = true }
            return "wrote \(output)"
        })
        runner.start()
        runner.send(.export(checkpoint: "ck", output: "out.onnx"))
        guard case .failed = runner.wait() else { return XCTFail("the run has no model") }
        XCTAssertTrue(exported.withLock { $0 }, "wait returned before the export had finished")
        XCTAssertEqual(runner.drainEvents().last?.event,
                       .exportFinished(ExportFinished(output: "out.onnx", succeeded: true, text: "wrote out.onnx")))
    }

    /// The answer in JSON Lines, as every event; read back, its text has control characters escaped.
    func testExportFinishedIsAnEventLikeTheOthers() throws {
        let record = EventRecord(time: 3, event: .exportFinished(ExportFinished(output: "/o.onnx", succeeded: false, text: "--output /o.onnx: full")))
        let line = try EventLog.line(for: record)
        XCTAssertEqual(line, #"{"output":"/o.onnx","succeeded":false,"t":3,"text":"--output /o.onnx: full","type":"export_finished"}"#)
        XCTAssertEqual(try EventLog.record(fromLine: Data(line.utf8)), record)
        let hostile = #"{"output":"/o.onnx","succeeded":true,"t":3,"text":"wrote \u001b]0;pwned\u0007","type":"export_finished"}"#
        guard case .exportFinished(let e) = try EventLog.record(fromLine: Data(hostile.utf8)).event else { return XCTFail() }
        XCTAssertEqual(e.text, "wrote \\e]0;pwned\\u{7}", "shown, not executed")
    }
}
