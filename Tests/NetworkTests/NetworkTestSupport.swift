import Foundation
import XCTest
@testable import Network
import TestFixtures
import Tensor

/// The repository root, found from this file's path (tests run from anywhere).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func fixturePath(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name).path
}

func loadFixture(_ name: String, options: ONNXImportOptions = .init()) throws -> Graph {
    try Graph.importONNX(path: fixturePath(name), options: options)
}

/// Runs `python3 scripts/onnx_reference.py ARGS` and returns its stdout.
func runReferenceScript(_ arguments: [String]) throws -> String {
    String(decoding: try PythonScript.run("scripts/onnx_reference.py", arguments), as: UTF8.self)
}

/// ONNX Runtime's output for `input` on the model at `path`.
func onnxRuntimeOutput(model path: String, input: Tensor) throws -> Tensor {
    let directory = try temporaryDirectory("ort")
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputPath = directory.appendingPathComponent("input.npy").path
    let outputPath = directory.appendingPathComponent("output.npy").path
    try NPYArray(shape: input.shape, values: input.data.map(Double.init)).write(to: inputPath)
    _ = try runReferenceScript(["run", path, inputPath, outputPath])
    let output = try NPYArray(path: outputPath)
    return Tensor(shape: output.shape, data: output.values.map { Float($0) })
}

func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
    return zip(a.data, b.data).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
