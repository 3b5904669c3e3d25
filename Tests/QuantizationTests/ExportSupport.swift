import Foundation
import Network
import Tensor
import TestFixtures
import XCTest
@testable import Quantization

/// Helpers for the export tests: quick quantization runs, the engine's
/// simulated-quantization logits, and the ONNX Runtime check script.
enum ExportSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ name: String) throws -> Graph {
        try Graph.importONNX(path: repositoryRoot.appendingPathComponent("Tests/Fixtures/\(name)").path)
    }

    /// Uniform images in [−1, 1) shaped for the graph's input.
    static func images(_ n: Int, for graph: Graph, seed: UInt64) -> Tensor {
        var r = FixtureRandom(seed: seed)
        let shape = [n] + graph.inputSampleShape
        return Tensor(shape: shape, data: r.array(shape.reduce(1, *), -1, 1))
    }

    /// A block-wise BRECQ run with few iterations, so that layers end with
    /// AdaRound levels and learned activation steps, as a real run's do.
    static func quantize(_ graph: Graph, calibration: Tensor, configuration: QuantizationConfiguration,
                         iterations: Int = 30) throws -> QuantizedModel {
        let session = QuantizationSession(graph: graph, calibration: calibration, configuration: configuration)
        var h = Hyperparameters()
        h.batchSize = 16
        var rng = Xoshiro256StarStar(seed: 11)
        for unit in graph.units(for: .block) where unit.kind != .stem {
            for phase in session.phases(for: unit, hyperparameters: h) {
                let r = try session.makeReconstructor(unit: unit, phase: phase, hyperparameters: h, iterations: iterations,
                                                      random: rng.split())
                while !r.isComplete { _ = r.step() }
                _ = r.finish()
            }
        }
        session.finishRemaining()
        return session.model
    }

    /// The engine's simulated-quantization logits: exactly what `Evaluator.evaluate` runs.
    static func simulatedLogits(_ graph: Graph, model: QuantizedModel, images: Tensor) -> Tensor {
        let executor = GraphExecutor(graph: graph)
        model.install(in: executor)
        return QuantizationSession.run(executor, on: images, chunk: 100)
    }

    struct RuntimeResult {
        /// ORT with graph optimisations off: the model exactly as written.
        var logits: Tensor
        /// ORT with all optimisations (QDQ fusion into integer kernels where ORT does it).
        var optimizedLogits: Tensor
        var report: [String: Any]
    }

    /// Runs scripts/check_export.py: checker, layout against the encodings, ORT logits.
    /// Skips when python3, onnx or onnxruntime is missing.
    static func runONNXRuntime(model: String, encodings: String, images: Tensor, in directory: URL) throws -> RuntimeResult {
        let input = directory.appendingPathComponent("input.npy").path
        let output = directory.appendingPathComponent("logits.npy").path
        let optimized = directory.appendingPathComponent("logits_optimized.npy").path
        try NPYArray(shape: images.shape, values: images.data.map(Double.init)).write(to: input)
        let out = try runScript("scripts/check_export.py", [model, encodings, input, output, "--optimized", optimized])
        func load(_ path: String) throws -> Tensor {
            let a = try NPYArray(path: path)
            return Tensor(shape: a.shape, data: a.values.map { Float($0) })
        }
        let report = try JSONSerialization.jsonObject(with: out) as? [String: Any] ?? [:]
        return RuntimeResult(logits: try load(output), optimizedLogits: try load(optimized), report: report)
    }

    /// Runs `python3 scripts/NAME ARGS` and returns its stdout. Skips when python3,
    /// onnx or onnxruntime is missing; a failure carries the script's stderr.
    static func runScript(_ script: String, _ arguments: [String]) throws -> Data {
        try PythonScript.run(script, arguments)
    }

    struct CheckFailure: Error, CustomStringConvertible { var description: String }

    static func argmax(_ logits: Tensor) -> [Int] {
        let classes = logits.shape[1]
        return (0..<logits.shape[0]).map { r in
            (0..<classes).max { logits.data[r * classes + $0] < logits.data[r * classes + $1] }!
        }
    }

    static func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
        return zip(a.data, b.data).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// The largest |logit| — the scale the tolerance is relative to.
    static func maxAbs(_ a: Tensor) -> Float { a.data.reduce(0) { max($0, abs($1)) } }
}
