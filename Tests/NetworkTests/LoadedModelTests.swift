import TestFixtures
import XCTest
@testable import Network

final class LoadedModelTests: XCTestCase {
    /// Without config.json the model's own shapes are used and the assumption is said.
    func testModelWithoutConfigTakesShapesFromTheGraph() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.onnx").path
        try FileManager.default.copyItem(atPath: fixturePath("tiny_resnet.onnx"), toPath: path)
        let loaded = try LoadedModel.load(path: path)
        XCTAssertEqual(loaded.config.inputShape, loaded.graph.inputSampleShape)
        XCTAssertEqual(loaded.config.classes, loaded.graph.outputSampleShape[0])
        XCTAssertEqual(loaded.config.mean, [0])
        XCTAssertEqual(loaded.config.std, [1])
        let assumption = try XCTUnwrap(loaded.assumption)
        XCTAssertTrue(assumption.contains(directory.appendingPathComponent("config.json").path), assumption)
    }

    /// With config.json its values are used as written and nothing is assumed.
    func testModelWithConfigUsesIt() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.onnx").path
        try FileManager.default.copyItem(atPath: fixturePath("tiny_resnet.onnx"), toPath: path)
        let shape = try loadFixture("tiny_resnet.onnx").inputSampleShape
        let config = ModelConfig(inputShape: shape, classes: 10, mean: [0.4], std: [0.2])
        try JSONEncoder().encode(config).write(to: directory.appendingPathComponent("config.json"))
        let loaded = try LoadedModel.load(path: path)
        XCTAssertEqual(loaded.config, config)
        XCTAssertNil(loaded.assumption)
    }

    /// A model with symbolic height and width runs at config.json's input shape,
    /// wherever it is loaded (commands, engine, export of a finished run).
    func testSymbolicSpatialDimensionsComeFromTheConfig() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("model.onnx").path
        try FileManager.default.copyItem(atPath: fixturePath("dynamic_hw.onnx"), toPath: path)
        XCTAssertThrowsError(try LoadedModel.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("config.json"), "\(error)")
        }
        let config = ModelConfig(inputShape: [3, 8, 8], classes: 10, mean: [0.5], std: [0.25])
        try JSONEncoder().encode(config).write(to: directory.appendingPathComponent("config.json"))
        XCTAssertEqual(try LoadedModel.load(path: path).graph.inputSampleShape, [3, 8, 8])
        XCTAssertEqual(try LoadedModel.importGraph(path: path).outputSampleShape, [10])
    }
}
