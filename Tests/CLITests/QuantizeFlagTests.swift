import ArgumentParser
import Engine
import Quantization
import Tensor
import XCTest
@testable import BrecqCLI

/// `brecq quantize`'s flags (RunOptions, SessionFlags, its own and the
/// mixed-precision group): what each sets, its range, and what it refuses.
final class QuantizeFlagTests: CLITestCase {
    /// The flags every case needs: the fixture's model and data, a checkpoint
    /// directory of its own (the default one is under the user's cache).
    var base: [String] { ["quantize", "--model", model, "--data", data, "--checkpoint", path("ck")] }

    func testDefaultsAreRunConfigurationsAndTheHelpTexts() {
        AssertParse(base, as: Quantize.self) { q in
            let c = try q.options.configuration()
            XCTAssertEqual(c, RunConfiguration(modelPath: self.model, data: self.data), "no flag: RunConfiguration's defaults")
            XCTAssertEqual(c.method, .brecq)
            XCTAssertEqual(c.granularity, .block)
            XCTAssertEqual([c.wbits, c.abits, c.iterations, c.activationIterations, c.calibrationSize, c.evaluationImages],
                           [4, 32, 20_000, 5_000, 1024, 10_000], "the defaults the help texts state")
            XCTAssertEqual(c.hyperparameters.batchSize, 32)
            XCTAssertEqual(c.hyperparameters.learningRate, 0.001)
            XCTAssertEqual(c.seed, 0)
            XCTAssertTrue(c.automaticRoundWeight, "λ is chosen from the model unless --round-weight is given")
            XCTAssertNil(q.summary)
            XCTAssertNil(q.exportPath)
            XCTAssertFalse(q.mixed)
            XCTAssertNil(q.session.resume)
        }
    }

    func testCachePrecisionFlag() {
        AssertParse(base, as: Quantize.self) { q in
            XCTAssertNil(try q.options.configuration().cachePrecision, "no flag: auto")
        }
        for value in CachePrecision.allCases {
            AssertParse(base + ["--cache-precision", value.rawValue], as: Quantize.self) { q in
                XCTAssertEqual(try q.options.configuration().cachePrecision, value)
            }
            AssertParse(["tui", "--model", model, "--data", data, "--checkpoint", path("ck"), "--cache-precision", value.rawValue],
                        as: Tui.self) { t in
                XCTAssertEqual(try t.options.configuration().cachePrecision, value)
            }
        }
        AssertParseError(base + ["--cache-precision", "fp8"],
                         "The value 'fp8' is invalid for '--cache-precision <cache-precision>'. Please provide one of 'auto', 'fp16' or 'fp32'.")
    }

    func testEachFlagSetsItsSetting() {
        AssertParse(base + ["--method", "adaround", "--wbits", "3", "--abits", "8", "--iters", "7", "--act-iters", "0",
                            "--calib-size", "64", "--batch-size", "16", "--eval-images", "50", "--seed", "9", "--lr", "0.01",
                            "--qdrop", "0.25", "--round-weight", "0.5", "--loss", "fisher", "--skip-bad-images"], as: Quantize.self) { q in
            let c = try q.options.configuration()
            XCTAssertEqual(c.method, .adaround)
            XCTAssertEqual(c.granularity, .layer, "adaround reconstructs layer by layer")
            XCTAssertEqual([c.wbits, c.abits, c.iterations, c.activationIterations, c.calibrationSize, c.evaluationImages],
                           [3, 8, 7, 0, 64, 50])
            XCTAssertEqual(c.seed, 9)
            XCTAssertEqual(c.hyperparameters.batchSize, 16)
            XCTAssertEqual(c.hyperparameters.learningRate, 0.01)
            XCTAssertEqual(c.hyperparameters.qdrop, 0.25)
            XCTAssertEqual(c.hyperparameters.roundWeight, 0.5)
            XCTAssertEqual(c.hyperparameters.loss, .fisher)
            XCTAssertFalse(c.automaticRoundWeight, "a given λ is kept")
            XCTAssertEqual(c.skipBadImages, true)
        }
        AssertParse(base + ["--method", "qdrop", "--granularity", "stage"], as: Quantize.self) { q in
            let c = try q.options.configuration()
            XCTAssertEqual(c.method, .qdrop)
            XCTAssertEqual(c.granularity, .stage, "--granularity overrides the method's")
            XCTAssertEqual(c.hyperparameters.qdrop, 0.5, "qdrop's bypass probability")
        }
    }

    /// Every numeric flag at both ends of its range is taken, one step outside refused in the same words.
    func testRangesOfTheNumericFlags() {
        AssertRange(base, "--wbits", 2...8, as: Quantize.self) { XCTAssertEqual(try $0.options.configuration().wbits, $1) }
        AssertRange(base, "--iters", FlagLimits.iterations, as: Quantize.self) { XCTAssertEqual(try $0.options.configuration().iterations, $1) }
        AssertRange(base, "--act-iters", FlagLimits.activationIterations, as: Quantize.self) {
            XCTAssertEqual(try $0.options.configuration().activationIterations, $1)
        }
        // --batch-size may not exceed --calib-size: the smallest calibration set is tried with a batch as small,
        // the largest batch with a calibration set as large.
        AssertRange(base, "--calib-size", FlagLimits.calibrationSize, as: Quantize.self, atLowest: ["--batch-size", "1"]) {
            XCTAssertEqual(try $0.options.configuration().calibrationSize, $1)
        }
        AssertRange(base, "--batch-size", FlagLimits.batchSize, as: Quantize.self, atHighest: ["--calib-size", "4096"]) {
            XCTAssertEqual(try $0.options.configuration().hyperparameters.batchSize, $1)
        }
        AssertRange(base, "--eval-images", FlagLimits.evaluationImages, as: Quantize.self) {
            XCTAssertEqual(try $0.options.configuration().evaluationImages, $1)
        }
        XCTAssertEqual(FlagLimits.iterations, 1...1_000_000)
        XCTAssertEqual(FlagLimits.batchSize, 1...4096)
        AssertParseError(base + ["--qdrop", "1.5"], "--qdrop must be at most 1, got 1.5")
        AssertParseError(base + ["--qdrop", "-0.1"], "--qdrop must be at least 0, got -0.1")
        AssertParseError(base + ["--qdrop", "nan"], "--qdrop must be a finite number, got nan")
        AssertParseError(base + ["--round-weight", "1001"], "--round-weight must be at most 1000, got 1001")
        AssertParseError(base + ["--lr", "0"], "--lr must be greater than 0 and less than 1, got 0")
        AssertParseError(base + ["--lr", "1"], "--lr must be greater than 0 and less than 1, got 1")
        AssertParse(base + ["--lr", "0.999"], as: Quantize.self)
        AssertParseError(base + ["--wbits", "-5"], "--wbits must be at least 2, got -5")
    }

    func testActivationBitsAre2To8Or32() {
        for bits in [2, 8, 32] { AssertParse(base + ["--abits", "\(bits)"], as: Quantize.self) { XCTAssertEqual(try $0.options.configuration().abits, bits) } }
        for bits in [1, 9, 16] {
            AssertParseError(base + ["--abits", "\(bits)"], "--abits must be in 2…8 or 32, got \(bits)")
        }
    }

    func testNamedValuesAreRefusedWithTheirChoices() {
        AssertParseError(base + ["--granularity", "foo"],
                         "The value 'foo' is invalid for '--granularity <granularity>'. Please provide one of 'layer', 'block', 'stage' or 'net'.")
        AssertParseError(base + ["--method", "gptq"],
                         "The value 'gptq' is invalid for '--method <method>'. Please provide one of 'rtn', 'adaround', 'brecq' or 'qdrop'.")
    }

    func testInputPathsAreCheckedForTheirKind() throws {
        AssertParseError(["quantize", "--model", path("absent.onnx"), "--data", data], "--model \(path("absent.onnx")): no such file")
        let folder = try directory("a-folder")
        AssertParseError(["quantize", "--model", folder, "--data", data], "\(folder) is a directory; --model expects an .onnx file")
        AssertParseError(["quantize", "--model", "/dev/null", "--data", data], "/dev/null is not a regular file; --model expects an .onnx file")
        let notData = try file("labels.txt")
        AssertParseError(["quantize", "--model", model, "--data", notData],
                         "\(notData) is not a directory; --data expects 'fashion-mnist', a directory of IDX or NPY files, or an image folder")
        AssertParse(["quantize", "--model", model, "--data", "fashion-mnist", "--checkpoint", path("ck")], as: Quantize.self) {
            XCTAssertEqual(try $0.options.configuration().data, "fashion-mnist", "the installed data set by name")
        }
    }

    func testOutputPathsAreCheckedBeforeAnyWork() throws {
        let folder = try directory("out-folder")
        AssertParseError(base + ["--summary", folder], "--summary \(folder): is a directory; expected a file path")
        AssertParseError(base + ["--summary", folder + "/"], "--summary \(folder)/: ends in '/'; expected a file path")
        let missing = path("no/such/summary.json")
        AssertParseError(base + ["--summary", missing], "--summary \(missing): directory \(path("no/such")) does not exist")
        AssertParseError(base + ["--summary", ""], "--summary : an empty path")
        AssertParseError(base + ["--summary", model], "--summary \(model): is the same file as --model \(model); it would be overwritten")
        AssertParseError(base + ["--events", model], "--events \(model): is the same file as --model \(model); it would be overwritten")
        AssertParseError(base + ["--events", folder], "--events \(folder): is a directory; expected a file path")
        AssertParse(base + ["--events", "/dev/null", "--summary", path("summary.json")], as: Quantize.self) { q in
            XCTAssertEqual(q.session.events, "/dev/null", "a device is appended to, not replaced")
            XCTAssertEqual(q.summary, self.path("summary.json"))
        }
        let plain = try file("plain-file")
        AssertParseError(Array(base.dropLast(2)) + ["--checkpoint", plain], "--checkpoint \(plain): is not a directory")
    }

    func testExportChecksTheEncodingsBesideIt() throws {
        let output = path("model-q.onnx")
        AssertParse(base + ["--export", output], as: Quantize.self) { XCTAssertEqual($0.exportPath, output) }
        let encodings = try directory("model-q2.encodings.json")
        AssertParseError(base + ["--export", path("model-q2.onnx")],
                         "--export (encodings beside it) \(encodings): is a directory; expected a file path")
    }

    func testResumeNeedsACheckpointAndAgreeingFlags() throws {
        let empty = try directory("empty-ck")
        AssertParseError(base + ["--resume", empty], "--resume \(empty): no checkpoint.json there")
    }

    func testMixedPrecisionFlagsGoTogether() throws {
        AssertParseError(base + ["--mixed"], "--mixed needs --budget, e.g. --budget avgbits=3")
        AssertParseError(base + ["--budget", "avgbits=3"], "--budget applies to --mixed only")
        let bits = try file("bits.json", #"{"layers": {}}"#)
        AssertParseError(base + ["--mixed", "--budget", "avgbits=3", "--bits-config", bits],
                         "--mixed searches the bits; it does not take --bits-config")
        AssertParse(base + ["--mixed", "--budget", "avgbits=3", "--population", "4", "--parents", "2", "--elites", "1"], as: Quantize.self) { q in
            XCTAssertTrue(q.mixed)
            let settings = try q.search.settings()
            XCTAssertEqual(settings.budget, "avgbits=3")
            XCTAssertEqual([settings.population, settings.parents, settings.elites], [4, 2, 1])
        }
    }
}
