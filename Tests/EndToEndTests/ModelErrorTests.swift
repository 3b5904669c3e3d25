import TestFixtures
import XCTest

/// `brecq inspect` and `brecq eval` on a broken model: one line naming the problem, exit ≠ 0, never a crash.
final class ModelErrorTests: TinyModelTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // The broken fixtures take 3×8×8 images; eval needs a config of that shape beside the model.
        let config = #"{"input_shape": [3, 8, 8], "classes": 10, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}"#
        try FileManager.default.createDirectory(atPath: model.file("broken"), withIntermediateDirectories: true)
        try config.write(toFile: model.file("broken/config.json"), atomically: true, encoding: .utf8)
    }

    /// Installs `data` as broken/model.onnx and runs inspect and eval on it.
    private func assertBothCommandsFail(on data: Data, mentions words: [String],
                                        file: StaticString = #filePath, line: UInt = #line) throws {
        let path = model.file("broken/model.onnx")
        try data.write(to: URL(fileURLWithPath: path))
        let inspect = try CommandRun.brecq(["inspect", path], timeout: 60)
        assertOneErrorLine(inspect, mentions: words, file: file, line: line)
        let eval = try CommandRun.brecq(["eval", "--model", path, "--data", model.path], timeout: 60)
        assertOneErrorLine(eval, mentions: words, file: file, line: line)
    }

    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: TinyModelDirectory.fixtures.appendingPathComponent(name))
    }

    func testNotONNX() throws {
        try assertBothCommandsFail(on: Data("hello, this is not a model\n".utf8), mentions: ["not an ONNX model"])
    }

    func testTruncated() throws {
        let whole = try fixture("tiny_resnet.onnx")
        try assertBothCommandsFail(on: whole.prefix(whole.count / 2), mentions: ["truncated"])
    }

    func testUnsupportedOperator() throws {
        try assertBothCommandsFail(on: try fixture("unsupported_erf.onnx"), mentions: ["Erf", "gate", "supported:", "Conv"])
    }

    func testShapeMismatch() throws {
        try assertBothCommandsFail(on: try fixture("shape_mismatch.onnx"), mentions: ["shape mismatch", "conv_wrong_channels"])
    }

    func testMissingInitializer() throws {
        try assertBothCommandsFail(on: try fixture("missing_initializer.onnx"), mentions: ["w_missing"])
    }

    func testExternalData() throws {
        try assertBothCommandsFail(on: try fixture("external_data.onnx"), mentions: ["external"])
    }
}
