import Foundation
import XCTest
@testable import Network
import Tensor
import TestFixtures

/// The 224×224 ImageNet-layout architectures users bring (ResNet-18, ResNet-50,
/// MobileNetV2, MobileNetV3-small with HardSwish and squeeze-excitation), exported
/// from plain torch modules by scripts/make_imagenet_models.py: import, block
/// detection and FP logits against ONNX Runtime (and torch) on the same batch.
final class ImageNetArchitectureTests: XCTestCase {
    /// One export of all four models for the whole class (~15 s, ~180 MB in a temp dir).
    nonisolated(unsafe) private static var exported: URL?
    nonisolated(unsafe) private static var exportError: Error?

    override class func tearDown() {
        if let exported { try? FileManager.default.removeItem(at: exported) }
        exported = nil
        super.tearDown()
    }

    private func modelDirectory(_ name: String) throws -> URL {
        if let error = Self.exportError { throw error }
        if Self.exported == nil {
            do {
                let directory = try temporaryDirectory("imagenet")
                _ = try PythonScript.run("scripts/make_imagenet_models.py", [directory.path])
                let symbolic = directory.appendingPathComponent("symbolic")
                _ = try PythonScript.run("scripts/make_imagenet_models.py", [symbolic.path, "--models", "resnet18", "--symbolic-hw"])
                Self.exported = directory
            } catch {
                Self.exportError = error
                throw error
            }
        }
        return Self.exported!.appendingPathComponent(name)
    }

    private func importModel(_ name: String) throws -> (Graph, URL) {
        let directory = try modelDirectory(name)
        let model = directory.appendingPathComponent("model.onnx").path
        let config = try ModelConfig.load(path: ModelConfig.path(forModel: model))
        XCTAssertEqual(config.inputShape, [3, 224, 224])
        return (try Graph.importONNX(path: model, options: ONNXImportOptions(inputSampleShape: config.inputShape)), directory)
    }

    /// FP logits on the script's fixed batch equal ONNX Runtime's (and torch's) within 1e-4.
    private func assertParity(_ name: String, units expectedUnits: Int, kinds: [String: Int],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let (graph, directory) = try importModel(name)
        let input = try NPYArray(path: directory.appendingPathComponent("sample_input.npy").path)
        XCTAssertEqual(input.shape, [2, 3, 224, 224], file: file, line: line)
        let batch = Tensor(shape: input.shape, data: input.values.map { Float($0) })
        let executor = GraphExecutor(graph: graph)
        let logits = try executor.logits(for: batch)
        let model = directory.appendingPathComponent("model.onnx").path
        let reference = try onnxRuntimeOutput(model: model, input: batch)
        XCTAssertEqual(logits.shape, [2, 1000], file: file, line: line)
        XCTAssertLessThanOrEqual(maxAbsDifference(logits, reference), 1e-4, "\(name) vs ONNX Runtime", file: file, line: line)
        let torch = try NPYArray(path: directory.appendingPathComponent("sample_logits_torch.npy").path)
        XCTAssertLessThanOrEqual(maxAbsDifference(logits, Tensor(shape: torch.shape, data: torch.values.map { Float($0) })), 1e-4,
                                 "\(name) vs torch", file: file, line: line)
        // The logits must not be trivially small for the tolerance to mean something.
        XCTAssertGreaterThan(reference.data.map(abs).max() ?? 0, 1e-3, "\(name): logits too small to compare", file: file, line: line)

        let units = graph.units(for: .block)
        XCTAssertEqual(units.count, expectedUnits, "\(name) units: \(units.map(\.name))", file: file, line: line)
        for (kind, count) in kinds {
            XCTAssertEqual(units.filter { $0.kind.rawValue == kind }.count, count, "\(name): \(kind) blocks", file: file, line: line)
        }
    }

    func testResNet18() throws { try assertParity("resnet18", units: 10, kinds: ["basic": 8, "stem": 1, "head": 1]) }
    func testResNet50() throws { try assertParity("resnet50", units: 18, kinds: ["bottleneck": 16, "stem": 1, "head": 1]) }
    func testMobileNetV2() throws { try assertParity("mobilenetv2", units: 20, kinds: ["inverted_residual": 17, "stem": 1, "head": 1]) }
    func testMobileNetV3Small() throws {
        try assertParity("mobilenetv3small", units: 15, kinds: ["inverted_residual": 11, "stem": 1, "head": 1])
    }

    /// A model exported with symbolic height and width takes its size from config.json.
    func testSymbolicHeightAndWidthComeFromConfig() throws {
        let (graph, directory) = try importModel("symbolic/resnet18")
        XCTAssertEqual(graph.inputSampleShape, [3, 224, 224])
        XCTAssertEqual(graph.sampleShapes[graph.output], [1000])
        let fixed = try Graph.importONNX(path: try modelDirectory("resnet18").appendingPathComponent("model.onnx").path,
                                         options: ONNXImportOptions(inputSampleShape: [3, 224, 224]))
        XCTAssertEqual(graph.nodes.count, fixed.nodes.count)
        _ = directory
    }
}

