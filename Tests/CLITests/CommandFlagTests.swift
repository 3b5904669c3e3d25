import ArgumentParser
import Network
import Tensor
import XCTest
@testable import BrecqCLI

/// `brecq eval`, `inspect`, `export` and `bench`: defaults, ranges and paths.
final class CommandFlagTests: CLITestCase {
    func testEval() throws {
        AssertParse(["eval", "--model", model, "--data", data], as: Eval.self) { e in
            XCTAssertEqual(e.batchSize, 256)
            XCTAssertNil(e.limit)
            XCTAssertFalse(e.json)
            XCTAssertEqual(e.modelOptions.model, self.model)
            XCTAssertFalse(e.modelOptions.skipBadImages)
        }
        let eval = ["eval", "--model", model, "--data", data]
        AssertRange(eval, "--batch-size", FlagLimits.batchSize, as: Eval.self) { XCTAssertEqual($0.batchSize, $1) }
        AssertRange(eval, "--limit", FlagLimits.evaluationImages, as: Eval.self) { XCTAssertEqual($0.limit, $1) }
        AssertParse(eval + ["--json"], as: Eval.self) { XCTAssertTrue($0.json) }
        AssertParseError(["eval", "--model", path("none.onnx"), "--data", data], "--model \(path("none.onnx")): no such file")
        AssertParse(["eval", "--model", model], as: Eval.self) { XCTAssertEqual($0.modelOptions.data, "fashion-mnist") }
    }

    func testInspect() throws {
        AssertParse(["inspect", model], as: Inspect.self) { i in
            XCTAssertEqual(i.model, self.model)
            XCTAssertEqual(i.granularity, .block)
            XCTAssertFalse(i.json)
        }
        AssertParse(["inspect", "--model", model, "--granularity", "stage", "--json"], as: Inspect.self) { i in
            XCTAssertEqual(i.modelOption, self.model, "--model is the argument spelled as a flag")
            XCTAssertEqual(i.granularity, .stage)
        }
        AssertParseError(["inspect", model, "--model", model], "give the model either as an argument or with --model, not both")
        let folder = try directory("inspect-dir")
        AssertParseError(["inspect", folder], "\(folder) is a directory; --model expects an .onnx file")
    }

    func testExport() throws {
        let checkpoint = try directory("export-ck")
        let output = path("exported.onnx")
        AssertParse(["export", "--checkpoint", checkpoint, "--model", model, "--output", output], as: Export.self) { e in
            XCTAssertEqual(e.checkpoint, checkpoint)
            XCTAssertEqual(e.model, self.model)
            XCTAssertEqual(e.output, output)
            XCTAssertNil(e.encodings, "beside --output")
        }
        AssertParseError(["export", "--checkpoint", checkpoint], "Missing expected argument '--output <output>'")
        AssertParseError(["export", "--output", output], "Missing expected argument '--checkpoint <checkpoint>'")
        let folder = try directory("export-out")
        AssertParseError(["export", "--checkpoint", checkpoint, "--output", folder], "--output \(folder): is a directory; expected a file path")
        _ = try directory("taken.encodings.json")
        AssertParseError(["export", "--checkpoint", checkpoint, "--output", path("taken.onnx")],
                         "--output (encodings beside it) \(path("taken.encodings.json")): is a directory; expected a file path")
        // With --encodings the default place beside --output is not checked; the given one is.
        AssertParse(["export", "--checkpoint", checkpoint, "--output", path("taken.onnx"), "--encodings", path("e.json")], as: Export.self) {
            XCTAssertEqual($0.encodings, self.path("e.json"))
        }
        AssertParseError(["export", "--checkpoint", checkpoint, "--output", output, "--encodings", folder],
                         "--encodings \(folder): is a directory; expected a file path")
    }

    func testBenchKernels() {
        AssertParse(["bench", "kernels"], as: BenchKernels.self) { b in
            XCTAssertEqual(b.repeats, 7)
            XCTAssertEqual(b.minSeconds, 0.05)
            XCTAssertNil(b.columnBudget)
            XCTAssertFalse(b.json)
        }
        AssertRange(["bench", "kernels"], "--repeats", 1...1000, as: BenchKernels.self) { XCTAssertEqual($0.repeats, $1) }
        AssertRange(["bench", "kernels"], "--column-budget", 1...(1 << 40), as: BenchKernels.self) { XCTAssertEqual($0.columnBudget, $1) }
        AssertParse(["bench", "kernels", "--min-seconds", "0"], as: BenchKernels.self) { XCTAssertEqual($0.minSeconds, 0) }
        AssertParseError(["bench", "kernels", "--min-seconds", "61"], "--min-seconds must be at most 60, got 61")
        AssertParseError(["bench", "kernels", "--min-seconds", "-0.5"], "--min-seconds must be at least 0, got -0.5")
        AssertParse(["bench", "kernels"], as: BenchKernels.self) { XCTAssertNil($0.kernels.isa); XCTAssertFalse($0.imagenetShapes) }
        AssertParse(["bench", "kernels", "--imagenet-shapes"], as: BenchKernels.self) { XCTAssertTrue($0.imagenetShapes) }
        AssertParse(["bench", "kernels", "--isa", "generic"], as: BenchKernels.self) { XCTAssertEqual($0.kernels.isa, "generic") }
        AssertParseError(["bench", "kernels", "--isa", "sse9"], "--isa: unknown instruction set 'sse9'; expected one of generic, avx2, avx512")
        // avx512 parses where the CPU runs it and is refused, saying so, where it does not.
        if ConvInstructionSet.available.contains(.avx512) {
            AssertParse(["bench", "kernels", "--isa", "avx512"], as: BenchKernels.self) { XCTAssertEqual($0.kernels.isa, "avx512") }
        } else {
            AssertParseError(["bench", "kernels", "--isa", "avx512"],
                             "--isa: this CPU cannot run the avx512 kernels; it runs "
                                + ConvInstructionSet.available.map(\.name).joined(separator: ", "))
        }
    }

    func testBenchRecon() {
        AssertParse(["bench", "recon", "--synthetic"], as: BenchRecon.self) { b in
            XCTAssertTrue(b.synthetic)
            XCTAssertEqual(b.iterations, 200)
        }
        AssertParse(["bench", "recon", "--model", model], as: BenchRecon.self) { XCTAssertEqual($0.model, self.model) }
        AssertParseError(["bench", "recon", "--model", path("none.onnx")], "no model at \(path("none.onnx")); pass --model PATH or --synthetic")
        AssertRange(["bench", "recon", "--synthetic"], "--iterations", 1...1_000_000, as: BenchRecon.self) { XCTAssertEqual($0.iterations, $1) }
        AssertParse(["bench", "recon", "--synthetic"], as: BenchRecon.self) { b in
            XCTAssertNil(b.unit)
            XCTAssertEqual(b.batchSize, 32)
            XCTAssertEqual(b.warmup, 10)
            XCTAssertEqual(b.granularity, .block)
        }
        AssertParse(["bench", "recon", "--model", model, "--unit", "block3", "--batch-size", "8", "--warmup", "2",
                     "--granularity", "layer"], as: BenchRecon.self) { b in
            XCTAssertEqual(b.unit, "block3")
            XCTAssertEqual(b.batchSize, 8)
            XCTAssertEqual(b.warmup, 2)
            XCTAssertEqual(b.granularity, .layer)
        }
        AssertParseError(["bench", "recon", "--synthetic", "--unit", "block1"], "--unit needs --model, not --synthetic")
        AssertParse(["bench", "recon", "--synthetic", "--isa", "generic"], as: BenchRecon.self) { XCTAssertEqual($0.kernels.isa, "generic") }
        AssertParseError(["bench", "recon", "--synthetic", "--isa", "AVX2"], "--isa: unknown instruction set 'AVX2'; expected one of generic, avx2, avx512")
        AssertRange(["bench", "recon", "--synthetic"], "--batch-size", 1...4096, as: BenchRecon.self) { XCTAssertEqual($0.batchSize, $1) }
        AssertRange(["bench", "recon", "--synthetic"], "--warmup", 0...1000, as: BenchRecon.self) { XCTAssertEqual($0.warmup, $1) }
    }

    func testUnknownCommandsAndFlags() {
        AssertParseError(["quantise"], "Unexpected argument 'quantise'")
        AssertParseError(["eval", "--model", model, "--bogus"], "Unknown option '--bogus'")
    }
}
