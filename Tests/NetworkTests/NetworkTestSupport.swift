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

/// Runs `python3 scripts/onnx_reference.py ARGS` and returns its stdout;
/// skips the test when python3 or onnxruntime is missing.
func runReferenceScript(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/onnx_reference.py").path] + arguments
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errorText = String(decoding: errors, as: UTF8.self)
    if errorText.contains("No module named 'onnxruntime'") || errorText.contains("No module named 'numpy'") {
        throw XCTSkip("onnxruntime is not installed (scripts/setup.sh --test installs it)")
    }
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "onnx_reference", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: errorText])
    }
    return String(decoding: output, as: UTF8.self)
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
