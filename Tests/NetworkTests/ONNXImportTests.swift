import Foundation
import TestFixtures
import XCTest
@testable import Network
import Tensor

final class ONNXImportTests: XCTestCase {
    func testResNetFixtureImportsWithBatchNormFoldedAndShapesInferred() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        XCTAssertEqual(graph.inputSampleShape, [1, 16, 16])
        XCTAssertEqual(graph.outputSampleShape, [10])
        let kinds = graph.nodes.map(\.operation.kindName)
        XCTAssertFalse(kinds.contains("BatchNormalization"))
        XCTAssertEqual(kinds.filter { $0 == "Conv" }.count, 9)
        XCTAssertEqual(kinds.filter { $0 == "Linear" }.count, 1)
        XCTAssertEqual(kinds.filter { $0 == "Add" }.count, 3)
        for node in graph.nodes { XCTAssertNotNil(graph.sampleShape(of: node.output), node.name) }
        XCTAssertEqual(graph.sampleShape(of: graph.nodes[0].output), [8, 16, 16])
    }

    func testTypedInitializersGemmAttributesIdentityDropoutAndConstant() throws {
        let graph = try loadFixture("handmade_gemm.onnx")
        XCTAssertEqual(graph.nodes.map(\.operation.kindName), ["Linear", "Clip"])
        guard case .linear(let linear) = graph.nodes[0].operation else { return XCTFail("expected a linear layer") }
        XCTAssertEqual(linear.weight.shape, [3, 6])  // transB = 0: [K, N] became [N, K]
        XCTAssertEqual(linear.bias.data, [1, -2, 4])  // beta = 2
        XCTAssertEqual(graph.nodes[1].operation, .clip(min: -.infinity, max: 6))
        let executor = GraphExecutor(graph: graph)
        let x = randomTensor([4, 6], seed: 3)
        let ours = try executor.logits(for: x)
        let reference = try onnxRuntimeOutput(model: fixturePath("handmade_gemm.onnx"), input: x)
        XCTAssertLessThanOrEqual(maxAbsDifference(ours, reference), 1e-5)
    }

    func testNotONNX() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("notes.onnx").path
        try Data("this is a text file, not a model\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Graph.importONNX(path: path)) { error in
            guard case ONNXImportError.notONNX = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("is not an ONNX model"), "\(error)")
        }
    }

    func testTruncated() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixturePath("tiny_resnet.onnx")))
        XCTAssertThrowsError(try Graph.importONNX(data: bytes.prefix(bytes.count / 2), source: "half.onnx")) { error in
            XCTAssertEqual(error as? ONNXImportError, .truncated(path: "half.onnx"))
            XCTAssertTrue("\(error)".contains("half.onnx is truncated"))
        }
    }

    /// A zero Pad folds only into Convs; read by a MaxPool (whose padding is −∞, not 0) it is refused naming both.
    func testPadReadByAnythingButAConvIsAClearError() throws {
        XCTAssertThrowsError(try loadFixture("pad_before_maxpool.onnx")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("Pad") && message.contains("'pad'") && message.contains("'pool' (MaxPool)"), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }

    func testUnsupportedOperatorNamesOpNodeAndSupportedList() throws {
        XCTAssertThrowsError(try loadFixture("unsupported_erf.onnx")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unsupported operator Erf"), message)
            XCTAssertTrue(message.contains("'gate'"), message)
            XCTAssertTrue(message.contains("Conv, Div, Dropout, Flatten"), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }

    func testMissingInitializer() throws {
        XCTAssertThrowsError(try loadFixture("missing_initializer.onnx")) { error in
            XCTAssertEqual(error as? ONNXImportError, .missingInitializer(node: "conv_without_weight", tensor: "w_missing"))
        }
    }

    func testShapeMismatch() throws {
        XCTAssertThrowsError(try loadFixture("shape_mismatch.onnx")) { error in
            guard case ONNXImportError.shapeMismatch(let node, let detail) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(node, "conv_wrong_channels")
            XCTAssertTrue(detail.contains("expects 5 input channels, got 3"), detail)
        }
    }

    func testConfigInputShapeMustAgreeWithModel() throws {
        XCTAssertThrowsError(try loadFixture("tiny_resnet.onnx", options: .init(inputSampleShape: [3, 16, 16]))) { error in
            guard case ONNXImportError.shapeMismatch = error else { return XCTFail("\(error)") }
        }
    }

    func testExternalDataIsAClearError() throws {
        XCTAssertThrowsError(try loadFixture("external_data.onnx")) { error in
            XCTAssertEqual(error as? ONNXImportError, .externalData(tensor: "w"))
            XCTAssertTrue("\(error)".contains("external file"))
        }
    }

    func testOpsetOutsideTheSupportedRange() throws {
        var model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: fixturePath("tiny_resnet.onnx"))))
        model.opsetImport = [Onnx_OperatorSetIdProto.with { $0.version = 22 }]
        XCTAssertThrowsError(try Graph.importONNX(data: try model.serializedData(), source: "future.onnx")) { error in
            XCTAssertEqual(error as? ONNXImportError, .unsupportedOpset(version: 22, supported: 1...21))
        }
    }

    /// `x.view(x.size(0), -1)` with a dynamic batch: the shape arithmetic folds away.
    func testShapeArithmeticFoldsIntoOneReshape() throws {
        let graph = try loadFixture("tiny_view.onnx")
        XCTAssertEqual(graph.nodes.map(\.operation.kindName), ["Conv", "Relu", "MaxPool", "Conv", "Relu", "Reshape", "Linear"])
        XCTAssertEqual(graph.nodes[5].operation, .reshape(sampleShape: [128]))
    }

    func testABatchSizeThatDoesNotStayFirstIsAClearError() throws {
        var model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: fixturePath("tiny_view.onnx"))))
        let concat = try XCTUnwrap(model.graph.node.firstIndex { $0.opType == "Concat" })
        model.graph.node[concat].input.reverse()
        XCTAssertThrowsError(try Graph.importONNX(data: try model.serializedData(), source: "view.onnx")) { error in
            XCTAssertTrue("\(error)".contains("Reshape"), "\(error)")
            XCTAssertTrue("\(error)".contains("the batch size must stay first"), "\(error)")
        }
    }

    /// A final Softmax is dropped (the engine works on logits) and remembered for export.
    func testFinalSoftmaxIsRemovedAndRemembered() throws {
        let graph = try loadFixture("softmax_output.onnx")
        XCTAssertEqual(graph.removedOutputSoftmax, "probabilities")
        XCTAssertEqual(graph.output, "logits")
        XCTAssertEqual(graph.nodes.map(\.operation.kindName), ["Conv", "Relu", "GlobalAveragePool", "Flatten", "Linear"])
        let input = randomTensor([3] + graph.inputSampleShape, seed: 5)
        let executor = GraphExecutor(graph: graph)
        let probabilities = Softmax.forward(logits: try executor.logits(for: input))
        let reference = try onnxRuntimeOutput(model: fixturePath("softmax_output.onnx"), input: input)
        XCTAssertLessThanOrEqual(maxAbsDifference(probabilities, reference), 1e-6)
    }

    func testSoftmaxInsideTheNetworkIsAClearError() throws {
        var model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: fixturePath("softmax_output.onnx"))))
        model.graph.node.append(Onnx_NodeProto.with { $0.opType = "Relu"; $0.name = "after"; $0.input = ["probabilities"]; $0.output = ["out"] })
        model.graph.output[0].name = "out"
        XCTAssertThrowsError(try Graph.importONNX(data: try model.serializedData(), source: "inner.onnx")) { error in
            XCTAssertTrue("\(error)".contains("softmax"), "\(error)")
            XCTAssertTrue("\(error)".contains("only a final Softmax"), "\(error)")
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try Graph.importONNX(path: "/nonexistent/model.onnx")) { error in
            XCTAssertEqual(error as? ONNXImportError, .unreadable(path: "/nonexistent/model.onnx", reason: "no such file"))
        }
    }
}
