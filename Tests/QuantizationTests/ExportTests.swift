import Foundation
import Network
import Tensor
import TestFixtures
import XCTest
@testable import Quantization

/// The exporter without ONNX Runtime: integer encodings are exact, errors are
/// clear, and a failed export leaves no file behind.
final class ExportTests: XCTestCase {
    private func layer(bits: Int, zeroPoints: [Float], levels: [Int32]) -> LayerQuantization {
        LayerQuantization(layer: "l", grid: UniformAffineQuantizer(bits: bits, scales: zeroPoints.map { _ in 0.1 }, zeroPoints: zeroPoints),
                          levels: levels, rounding: .nearest)
    }

    /// `x − zp` must equal `q − z` for every weight: then DequantizeLinear gives our weights bit for bit.
    private func assertExact(_ l: LayerQuantization, _ e: WeightEncoding, file: StaticString = #filePath, line: UInt = #line) {
        let per = l.levels.count / l.grid.channels
        for i in l.levels.indices {
            XCTAssertEqual(e.values[i] - e.zeroPoints[i / per], l.levels[i] - Int32(l.grid.zeroPoints[i / per]), file: file, line: line)
            if e.storage == .int8 {
                XCTAssertTrue((-128...127).contains(e.values[i]) && (-128...127).contains(e.zeroPoints[i / per]), file: file, line: line)
            }
        }
    }

    func testWeightLevelsBecomeSignedBBitValues() throws {
        let l = layer(bits: 4, zeroPoints: [7, 0, 15], levels: [0, 15, 7, 3, 0, 15, 8, 9, 1, 15, 0, 2])
        let e = try WeightEncoding(l)
        XCTAssertEqual(e.storage, .int8)
        XCTAssertTrue(e.isCanonical(bits: 4))
        XCTAssertEqual(Array(e.values[0..<4]), [-8, 7, -1, -5])
        XCTAssertEqual(e.zeroPoints, [-1, -8, 7])
        XCTAssertTrue(e.values.allSatisfy { (-8...7).contains($0) })
        assertExact(l, e)
    }

    func testZeroPointOutsideTheRangeShiftsTheChannelOrFallsBackToInt32() throws {
        // 4 bits, range not containing 0: z = −200 does not fit int8 after the canonical offset 8; a shift does.
        let shifted = layer(bits: 4, zeroPoints: [-200, 3], levels: [0, 15, 4, 2])
        let e = try WeightEncoding(shifted)
        XCTAssertEqual(e.storage, .int8)
        XCTAssertFalse(e.isCanonical(bits: 4))
        assertExact(shifted, e)
        // 8 bits with z = −64 and levels 0…255: 320 integers of span, more than int8 holds.
        let wide = layer(bits: 8, zeroPoints: [-64, 128], levels: [0, 255, 0, 255])
        let w = try WeightEncoding(wide)
        XCTAssertEqual(w.storage, .int32)
        XCTAssertEqual(w.zeroPoints, [0, 0])
        assertExact(wide, w)
    }

    func testActivationEncodings() throws {
        func encode(bits: Int, z: Float) throws -> ActivationEncoding {
            try ActivationEncoding(ActivationQuantization(tensor: "t", role: .inner, readers: [], bits: bits,
                                                          quantizer: LearnedStepActivationQuantizer(bits: bits, step: 0.5, zeroPoint: z)))
        }
        let a8 = try encode(bits: 8, z: 0)
        XCTAssertEqual([a8.form.rawValue, a8.elementType], ["qdq", "uint8"])
        XCTAssertNil(a8.clip, "8-bit uint8 saturation is the quantizer's own clamp")
        let a4 = try encode(bits: 4, z: 0)
        XCTAssertEqual(a4.elementType, "uint8")
        XCTAssertEqual(a4.clip, 0...7.5, "a 4-bit range is clamped before the 8-bit QuantizeLinear")
        let signed = try encode(bits: 8, z: 200)
        XCTAssertEqual(signed.zeroPoint, 200)
        XCTAssertNil(signed.clip)
        let shifted = try encode(bits: 4, z: -3)
        XCTAssertEqual([shifted.elementType, "\(shifted.zeroPoint)"], ["uint8", "0"])
        XCTAssertEqual(shifted.clip, 1.5...9)
        let noZero = try encode(bits: 8, z: -3)
        XCTAssertEqual(noZero.form, .float, "an 8-bit grid without 0 fits no 8-bit zero point")
        XCTAssertEqual(noZero.clip, 1.5...129)
    }

    func testUncalibratedModelIsNotQuantizedAndWritesNothing() throws {
        let graph = TinyNetwork.graph()
        let model = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: 4, activationBits: 4))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.onnx").path
        XCTAssertThrowsError(try QDQExporter(graph: graph, model: model).write(modelPath: path, encodingsPath: path + ".json")) { error in
            XCTAssertEqual("\(error)", "model not yet quantized: the activation quantizer on tensor 's_r' is not calibrated")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }

    func testBitsAboveEightAreRefusedWithTheLayerNamed() throws {
        let graph = TinyNetwork.graph()
        var model = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: 4))
        let k = model.layerIndex(named: "b1_conv1")!
        let weight = QuantizedModel.weight(of: graph.node(named: "b1_conv1")!)
        model.layers[k] = QuantizedModel.roundToNearest(layer: "b1_conv1", weight: weight, bits: 12)
        XCTAssertThrowsError(try QDQExporter(graph: graph, model: model).build(modelFileName: "m.onnx")) { error in
            XCTAssertEqual(error as? ExportError, .unrepresentableBits(what: "layer b1_conv1", bits: 12))
            XCTAssertTrue("\(error)".contains("supports 2…8 bits"))
        }
        var activations = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: 4, activationBits: 4))
        activations.activations[1].bits = 16
        activations.activations = activations.activations.map { a in
            var a = a
            a.quantizer = LearnedStepActivationQuantizer(bits: a.bits, step: 0.1, zeroPoint: 0)
            return a
        }
        XCTAssertThrowsError(try QDQExporter(graph: graph, model: activations).build(modelFileName: "m.onnx")) { error in
            XCTAssertEqual(error as? ExportError, .unrepresentableBits(what: "activation 'b1r1'", bits: 16))
        }
    }

    func testUnwritablePathLeavesNoFile() throws {
        let graph = TinyNetwork.graph()
        let model = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: 4))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let exporter = QDQExporter(graph: graph, model: model)
        let missing = directory.appendingPathComponent("no/such/dir/m.onnx").path
        XCTAssertThrowsError(try exporter.write(modelPath: missing, encodingsPath: missing + ".json")) { error in
            XCTAssertTrue("\(error)".hasPrefix(missing), "\(error)")
        }
        // The model can be written but the encodings cannot: the model is removed again.
        let model1 = directory.appendingPathComponent("m.onnx").path
        XCTAssertThrowsError(try exporter.write(modelPath: model1, encodingsPath: directory.appendingPathComponent("x/e.json").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
        // And a read-only directory (skipped as root, who may write anywhere).
        let readOnly = directory.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path) }
        if getuid() != 0 {
            let path = readOnly.appendingPathComponent("m.onnx").path
            XCTAssertThrowsError(try exporter.write(modelPath: path, encodingsPath: path + ".json")) { error in
                XCTAssertTrue("\(error)".contains("cannot write"), "\(error)")
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: readOnly.path), [])
        }
    }

    func testEncodingsDescribeEveryLayerAndTheBitConfiguration() throws {
        let graph = TinyNetwork.graph()
        var configuration = QuantizationConfiguration(weightBits: 4, activationBits: 4)
        configuration.layerWeightBits["b2_conv2"] = 2
        configuration.layerActivationBits["b2_conv2"] = 3
        let model = try ExportSupport.quantize(graph, calibration: TinyNetwork.images(32), configuration: configuration, iterations: 5)
        let (_, encodings) = try QDQExporter(graph: graph, model: model).build(modelFileName: "tiny.onnx")
        XCTAssertEqual(encodings.model, "tiny.onnx")
        XCTAssertEqual(encodings.layers.map(\.name), model.layers.map(\.layer))
        XCTAssertEqual(encodings.layers.map(\.bits), model.layers.map(\.bits))
        XCTAssertEqual(encodings.activations.map(\.tensor), model.activations.map(\.tensor))
        XCTAssertEqual(encodings.activations.map(\.step), model.activations.map { $0.quantizer!.step })
        XCTAssertEqual(encodings.bitConfiguration.layers["b2_conv2"], try LayerBits(wbits: 2, abits: 3))
        XCTAssertEqual(encodings.bitConfiguration.layers["stem"], try LayerBits(wbits: 8, abits: 32))
        XCTAssertEqual(encodings.bitConfiguration.layers["fc"], try LayerBits(wbits: 8, abits: 8))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(encodings)) as! [String: Any]
        let config = json["bit_configuration"] as! [String: Any]
        let layers = config["layers"] as! [String: [String: Int]]
        XCTAssertEqual(layers["b1_conv1"], ["wbits": 4, "abits": 8], "b1_conv1 reads the 8-bit stem output")
        XCTAssertEqual(layers["b1_conv2"], ["wbits": 4, "abits": 4])
        let first = (json["layers"] as! [[String: Any]])[0]
        XCTAssertNotNil(first["zero_points"])
        XCTAssertEqual(first["rounding"] as? String, "nearest", "the stem stays at round-to-nearest")
    }
}
