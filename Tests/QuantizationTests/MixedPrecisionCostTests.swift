import Foundation
import Network
import XCTest
@testable import Quantization

/// Hardware measures and budgets on TinyNetwork, against numbers worked out by hand:
/// weights stem 36, b1_conv1 144, b1_conv2 144, b2_conv1 216, b2_conv2 324, b2_short 24, fc 30;
/// biases 4+4+4+6+6+6+5 = 35; MACs per image stem 2304, b1 convs 9216 each, b2_conv1 3456,
/// b2_conv2 5184, b2_short 384, fc 30.
final class MixedPrecisionCostTests: XCTestCase {
    private let graph = TinyNetwork.graph()
    private var space: SearchSpace { SearchSpace(graph: graph) }
    private let bits = [2, 4, 8]

    func testSizeInBits() {
        let cost = HardwareCost.size(graph: graph, space: space, candidateBits: bits)
        XCTAssertEqual(cost.fixed, 1648)   // 35·32 + 36·8 + 30·8
        XCTAssertEqual(cost.perLayer[0], [288, 576, 1152])
        XCTAssertEqual(cost.uniformCost(bits: 4), 5056)   // + (144+144+216+324+24)·4
        XCTAssertEqual(cost.cost(bitIndices: [0, 1, 2, 0, 1]), 4984)   // 1648 + 144·2 + 144·4 + 216·8 + 324·2 + 24·4
    }

    func testBOPsUseEachLayersInputActivationBits() {
        // A4 run: the stem reads the FP image (32), b1_conv1 reads the 8-bit stem output,
        // the classifier its 8-bit input; everything else reads 4-bit activations.
        let cost = HardwareCost.bops(graph: graph, space: space, candidateBits: bits,
                                     configuration: QuantizationConfiguration(weightBits: 4, activationBits: 4))
        XCTAssertEqual(cost.fixed, 591_744)   // 2304·8·32 + 30·8·8
        XCTAssertEqual(cost.perLayer[0], [147_456, 294_912, 589_824])   // 9216·b·8
        XCTAssertEqual(cost.perLayer[1], [73_728, 147_456, 294_912])   // 9216·b·4
        XCTAssertEqual(cost.perLayer[4], [3072, 6144, 12_288])   // 384·b·4
        XCTAssertEqual(cost.uniformCost(bits: 4), 1_178_496)   // 591 744 + 9216·4·8 + (9216+3456+5184+384)·4·4
    }

    func testLatencyFromATableAndMissingEntries() throws {
        var layers: [String: [String: Double]] = ["stem": ["8": 5], "fc": ["8": 1]]
        for (k, name) in space.layers.enumerated() { layers[name] = ["2": Double(k + 1), "4": Double(2 * (k + 1)), "8": 10] }
        let path = NSTemporaryDirectory() + "latency-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONEncoder().encode(LatencyTable(layers: layers, activationBits: 4)).write(to: URL(fileURLWithPath: path))
        let table = try LatencyTable.load(path: path)
        let cost = try HardwareCost.latency(table: table, space: space, candidateBits: bits)
        XCTAssertEqual(cost.fixed, 6)
        XCTAssertEqual(cost.cost(bitIndices: [0, 0, 1, 1, 2]), 33)   // 6 + 1 + 2 + 6 + 8 + 10
        layers["b2_short"]!["8"] = nil
        layers["fc"] = nil
        XCTAssertThrowsError(try HardwareCost.latency(table: LatencyTable(layers: layers), space: space, candidateBits: bits)) { error in
            XCTAssertEqual((error as? HardwareCost.MissingEntries)?.entries, ["fc@8", "b2_short@8"])
        }
    }

    func testLatencyTableRejectsOtherUnits() throws {
        let path = NSTemporaryDirectory() + "latency-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"unit": "ms", "layers": {}}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try LatencyTable.load(path: path))
    }

    func testBudgetParsing() throws {
        XCTAssertEqual(try Budget(parsing: "size=0.75x4bit"), Budget(measure: .size, amount: .relativeToUniform4Bit(0.75)))
        XCTAssertEqual(try Budget(parsing: "bops=1.2e9"), Budget(measure: .bops, amount: .absolute(1.2e9)))
        XCTAssertEqual(try Budget(parsing: "latency=350"), Budget(measure: .latency, amount: .absolute(350)))
        XCTAssertEqual(try Budget(parsing: "latency=1.1x"), Budget(measure: .latency, amount: .relativeToUniform4Bit(1.1)))
        XCTAssertEqual(try Budget(parsing: "avgbits=3"), Budget(measure: .size, amount: .averageWeightBits(3)))
        for bad in ["size", "size=", "weight=3", "size=-1", "size=0x4bit", "avgbits=9", "latency=fast", "bops=nan"] {
            XCTAssertThrowsError(try Budget(parsing: bad), bad)
        }
    }

    func testBudgetLimits() throws {
        let size = HardwareCost.size(graph: graph, space: space, candidateBits: bits)
        XCTAssertEqual(try Budget(parsing: "size=0.75x4bit").limit(cost: size), 3792, accuracy: 1e-9)
        XCTAssertEqual(try Budget(parsing: "avgbits=3").limit(cost: size), 4204, accuracy: 1e-9)
        XCTAssertEqual(try Budget(parsing: "size=4000").limit(cost: size), 4000)
        // avgbits=4 is exactly uniform 4-bit.
        XCTAssertEqual(try Budget(parsing: "avgbits=4").limit(cost: size), size.uniformCost(bits: 4)!, accuracy: 1e-9)
        let noFour = HardwareCost.size(graph: graph, space: space, candidateBits: [2, 8])
        XCTAssertThrowsError(try Budget(parsing: "size=1x4bit").limit(cost: noFour))
    }

    func testBitsConfigurationRoundTrip() throws {
        let path = NSTemporaryDirectory() + "bits-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = BitsConfiguration(layers: ["b1_conv1": try LayerBits(wbits: 2, abits: 4), "stem": try LayerBits(wbits: 8, abits: 32)])
        try config.write(to: path)
        XCTAssertEqual(try BitsConfiguration.load(path: path), config)
        let text = String(decoding: FileManager.default.contents(atPath: path)!, as: UTF8.self)
        XCTAssertTrue(text.contains(#""b1_conv1" : {"#), text)
        // The export's encodings file: its bit_configuration is read.
        try Data(#"{"format": "brecq-qdq-encodings", "layers": [{"name": "b1_conv1", "bits": 2}], "bit_configuration": {"layers": {"b1_conv1": {"wbits": 2, "abits": 4}, "stem": {"wbits": 8, "abits": 32}}}}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try BitsConfiguration.load(path: path).layers, config.layers)
        try Data(#"{"layers": {"x": {"wbits": 9, "abits": 4}}}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try BitsConfiguration.load(path: path))
    }
}
