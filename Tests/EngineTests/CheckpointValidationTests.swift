import Foundation
import XCTest
@testable import Engine
import Quantization
import TestFixtures

/// Hostile checkpoints: each is refused on resume with one line naming what is
/// wrong, instead of trapping or being taken as a real run. Most edits are
/// re-signed (the digest file rewritten to match) so that the content checks
/// against the graph are what is tested; the digest is tested on its own.
final class CheckpointValidationTests: TinyRunTestCase {
    private var directory: String { tiny.directory.appendingPathComponent("ck").path }
    private var files: CheckpointFiles { CheckpointFiles(directory: directory) }

    private func run(_ c: RunConfiguration, resume: Bool = false, stopAfterUnit: Int? = nil) -> SessionRunner.Outcome {
        runSession(c, checkpoint: directory, resume: resume, stopAfterUnit: stopAfterUnit).outcome
    }

    /// A checkpoint after two units, edited by `edit`, then resumed: the refusal's text.
    private func refusal(_ edit: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1) else {
            XCTFail("the run did not stop after its first unit; the test needs a checkpoint of a partial run", file: file, line: line)
            return ""
        }
        try edit()
        guard case .failed(let text) = run(tiny.configuration(), resume: true) else {
            XCTFail("the edited checkpoint was accepted", file: file, line: line)
            return ""
        }
        XCTAssertFalse(text.contains("\n"), "one line: \(text)", file: file, line: line)
        return text
    }

    private func assert(_ text: String, names parts: String..., file: StaticString = #filePath, line: UInt = #line) {
        for part in parts { XCTAssertTrue(text.contains(part), "'\(part)' not named in: \(text)", file: file, line: line) }
    }

    // MARK: Weight grids

    func testFewerZeroPointsThanScalesAreNamed() throws {
        let text = try refusal { try files.editLayer { layer in
            var grid = layer["grid"] as! [String: Any]
            grid["zeroPoints"] = Array((grid["zeroPoints"] as! [Any]).dropLast())
            layer["grid"] = grid
        } }
        assert(text, names: "checkpoint.json", "zeroPoints", "zero points for")
    }

    func testAZeroPointOf1e30IsNamed() throws {
        let text = try refusal { try files.editLayer { layer in
            var grid = layer["grid"] as! [String: Any]
            var zeroPoints = grid["zeroPoints"] as! [Any]
            zeroPoints[0] = 1e30
            grid["zeroPoints"] = zeroPoints
            layer["grid"] = grid
        } }
        assert(text, names: "zeroPoints", "1e+30", "channel 0")
    }

    func testALevelOfInt32MinIsNamed() throws {
        let text = try refusal { try files.editLayer { layer in
            var levels = layer["levels"] as! [Any]
            levels[5] = Int(Int32.min)
            layer["levels"] = levels
        } }
        assert(text, names: "levels", "-2147483648", "is outside 0…")
    }

    func testANegativeScaleIsNamed() throws {
        let text = try refusal { try files.editLayer { layer in
            var grid = layer["grid"] as! [String: Any]
            var scales = grid["scales"] as! [Any]
            scales[1] = -0.25
            grid["scales"] = scales
            layer["grid"] = grid
        } }
        assert(text, names: "scales", "-0.25", "channel 1")
    }

    func testBitsOutside2To8AreNamed() throws {
        let text = try refusal { try files.editLayer { layer in
            var grid = layer["grid"] as! [String: Any]
            grid["bits"] = 31
            layer["grid"] = grid
        } }
        assert(text, names: "bits", "31", "2…8")
    }

    func testAnUnknownRoundingStateIsNamed() throws {
        let text = try refusal { try files.editLayer { $0["rounding"] = "sideways" } }
        assert(text, names: "corrupt checkpoint", "model.layers.1.rounding")
    }

    /// Decoding refuses it; Foundation on Linux reports no coding path for an
    /// integer that does not fit, so the line names the file only.
    func testALevelBeyondInt32IsRefused() throws {
        let text = try refusal { try files.editLayer { layer in
            var levels = layer["levels"] as! [Any]
            levels[0] = 1 << 40
            layer["levels"] = levels
        } }
        assert(text, names: "checkpoint.json", "corrupt checkpoint")
    }

    // MARK: Counts

    func testANegativeEventCountIsNamed() throws {
        let text = try refusal { try files.edit { $0["eventCount"] = -1 } }
        assert(text, names: "eventCount", "negative (-1)")
    }

    func testANegativeUnitsDoneIsNamed() throws {
        let text = try refusal { try files.edit { $0["unitsDone"] = -1 } }
        assert(text, names: "unitsDone", "negative (-1)")
    }

    func testMoreUnitsDoneThanThePlanHasIsNamed() throws {
        let text = try refusal { try files.edit { $0["unitsDone"] = 99 } }
        assert(text, names: "unitsDone", "99")
    }

    // MARK: Layers

    func testAMissingLayerIsNamed() throws {
        var removed = ""
        let text = try refusal { try files.edit { object in
            var model = object["model"] as! [String: Any]
            var layers = model["layers"] as! [[String: Any]]
            removed = layers.remove(at: 2)["layer"] as! String
            model["layers"] = layers
            object["model"] = model
        } }
        assert(text, names: "model.layers", removed, "missing")
    }

    func testAnUnknownLayerIsNamed() throws {
        let text = try refusal { try files.edit { object in
            var model = object["model"] as! [String: Any]
            var layers = model["layers"] as! [[String: Any]]
            var extra = layers[1]
            extra["layer"] = "/not/in/the/model/Conv"
            layers.append(extra)
            model["layers"] = layers
            object["model"] = model
        } }
        assert(text, names: "model.layers", "/not/in/the/model/Conv", "not a conv or linear layer")
    }

    // MARK: Digest

    /// Levels zeroed, losses and the FP accuracy rewritten: a valid checkpoint in
    /// every field, but not the one brecq wrote, so not reported as a real run.
    func testAnEditedButValidCheckpointIsCaughtByTheDigest() throws {
        let text = try refusal { try files.edit(resign: false) { object in
            var model = object["model"] as! [String: Any]
            var layers = model["layers"] as! [[String: Any]]
            for k in layers.indices { layers[k]["levels"] = (layers[k]["levels"] as! [Any]).map { _ in 0 } }
            model["layers"] = layers
            object["model"] = model
            var results = object["unitResults"] as! [[String: Any]]
            for k in results.indices { results[k]["lossAfter"] = 0.0 }
            object["unitResults"] = results
            var fp = object["fpMetrics"] as! [String: Any]
            fp["top1"] = 0.999
            object["fpMetrics"] = fp
        } }
        assert(text, names: "checkpoint.json", "does not match its digest", "checkpoint.sha256")
    }

    func testATruncatedCheckpointIsCaughtByTheDigest() throws {
        let text = try refusal {
            let bytes = try files.read(files.checkpoint)
            try files.write(bytes.prefix(bytes.count / 2), to: files.checkpoint)
        }
        assert(text, names: "checkpoint.json", "does not match its digest")
    }

    func testATruncatedRecordingIsNamed() throws {
        let text = try refusal {
            let bytes = try files.read(files.events)
            try files.write(bytes.prefix(bytes.count / 2), to: files.events)
        }
        assert(text, names: "events.jsonl", "truncated recording")
    }

    func testAnEditedRecordingIsNamed() throws {
        let text = try refusal {
            var bytes = try files.read(files.events)
            let i = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "1")))
            bytes[i] = UInt8(ascii: "2")
            try files.write(bytes, to: files.events)
        }
        assert(text, names: "events.jsonl", "eventsSHA256")
    }

    func testAMissingDigestFileIsNamed() throws {
        let text = try refusal { try FileManager.default.removeItem(atPath: files.digest) }
        assert(text, names: "checkpoint.sha256", "missing")
    }

    /// Another model's checkpoint.json with its digest file copied over this
    /// run's (the recording left as it was): refused naming both models, not as
    /// a recording that does not match.
    func testACheckpointOfAnotherModelNamesBothModels() throws {
        let other = try TinyRun.make()
        defer { other.remove() }
        let otherModel = URL(fileURLWithPath: other.modelPath)
        var bytes = try Data(contentsOf: otherModel)
        bytes.append(contentsOf: [0xA0, 0x06, 0x01])  // an unknown field 100: same graph, another file
        try bytes.write(to: otherModel)
        let otherDirectory = other.directory.appendingPathComponent("ck").path
        let runner = SessionRunner(configuration: other.configuration(), options: .init(checkpointDirectory: otherDirectory))
        runner.start()
        let events = EventCollector(runner)
        events.waitFor { if case .unitFinished(let f) = $0 { f.unit == 1 } else { false } }
        runner.send(.stop)
        guard case .stopped = events.finish() else { return XCTFail("the other run did not stop; the test needs its partial checkpoint") }

        let text = try refusal {
            let theirs = CheckpointFiles(directory: otherDirectory)
            try files.restore(checkpoint: try theirs.read(theirs.checkpoint), events: try files.read(files.events),
                              digest: try theirs.read(theirs.digest))
        }
        assert(text, names: "another model", other.modelPath, tiny.modelPath)
    }

    /// A checkpoint.json from another directory without its digest file: not this checkpoint.
    func testACheckpointCopiedWithoutItsDigestIsRefused() throws {
        let text = try refusal { try files.edit(resign: false) { $0["elapsed"] = 1.5 } }
        assert(text, names: "does not match its digest")
    }

    /// `brecq export` validates too: a finished run's checkpoint with a negative
    /// scale is refused instead of exported.
    func testExportRefusesANegativeScale() throws {
        guard case .finished = run(tiny.configuration()) else { return XCTFail("the run must finish") }
        try files.editLayer(2) { layer in
            var grid = layer["grid"] as! [String: Any]
            var scales = grid["scales"] as! [Any]
            scales[0] = -1.0
            grid["scales"] = scales
            layer["grid"] = grid
        }
        XCTAssertThrowsError(try QuantizedCheckpoint.load(directory: directory, modelPath: tiny.modelPath)) { error in
            assert("\(error)", names: "scales", "-1.0", "channel 0")
        }
    }

    /// Real checkpoints of other plans pass: weights-only (A32) at layer granularity, resumed to the end.
    func testGenuineCheckpointsOfOtherPlansAreAccepted() throws {
        var c = tiny.configuration(wbits: 4, abits: 32)
        c.apply(method: .adaround)
        let whole = run(c)
        try FileManager.default.removeItem(atPath: directory)
        guard case .stopped = run(c, stopAfterUnit: 2) else { return XCTFail("expected a stop") }
        XCTAssertEqual(run(c, resume: true).withoutTimes, whole.withoutTimes)
    }

    // MARK: Activations and results

    func testAnActivationStepOfZeroIsNamed() throws {
        let text = try refusal { try files.edit { object in
            var model = object["model"] as! [String: Any]
            var activations = model["activations"] as! [[String: Any]]
            let k = try XCTUnwrap(activations.firstIndex { $0["quantizer"] != nil })
            var quantizer = activations[k]["quantizer"] as! [String: Any]
            quantizer["step"] = 0
            activations[k]["quantizer"] = quantizer
            model["activations"] = activations
            object["model"] = model
        } }
        assert(text, names: "activation", "step", "not a finite number > 0")
    }

    func testAnElapsedTimeThatCannotBeShownIsNamed() throws {
        let text = try refusal { try files.edit { $0["elapsed"] = 1e300 } }
        assert(text, names: "elapsed", "not a duration")
    }

    func testAnFPAccuracyOutsideAPercentageIsNamed() throws {
        let text = try refusal { try files.edit { object in
            var fp = object["fpMetrics"] as! [String: Any]
            fp["top1"] = 250.0
            object["fpMetrics"] = fp
        } }
        assert(text, names: "fpMetrics.top1", "250")
    }

    func testUnitResultsThatDoNotMatchUnitsDoneAreNamed() throws {
        let text = try refusal { try files.edit { object in
            object["unitResults"] = Array((object["unitResults"] as! [Any]).prefix(1))
        } }
        assert(text, names: "unitResults", "1 results for 2 units done")
    }
}
