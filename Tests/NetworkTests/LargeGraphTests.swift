import Foundation
import XCTest
@testable import Network
import Tensor

/// Import and block detection are linear (or n log n) in the node count: a
/// 100 000-node model must not take minutes (8 000 nodes took 6.4 s when
/// every cut position scanned every tensor).
final class LargeGraphTests: XCTestCase {
    /// 50 000 Conv/Relu pairs, every node with the same name (so unique names
    /// are found without rescanning), sharing one weight initializer.
    func testAHundredThousandNodeChainImportsAndSplitsIntoLayerUnits() throws {
        typealias M = HostileModel
        let pairs = 50_000
        var nodes = [Onnx_NodeProto]()
        nodes.reserveCapacity(2 * pairs)
        var tensor = "x"
        for k in 0..<pairs {
            nodes.append(M.node("Conv", "n", [tensor, "w"], "c\(k)"))
            nodes.append(M.node("Relu", "n", ["c\(k)"], "r\(k)"))
            tensor = "r\(k)"
        }
        let model = M.model(sample: [1, 2, 2], nodes: nodes, initializers: [M.floats("w", dims: [1, 1, 1, 1], [0.5])], outputs: [tensor])
        let data = try model.serializedData()

        // CPU seconds per phase (wall time on a shared machine says more about the neighbours).
        var mark = clock()
        func lap() -> Double {
            let now = clock()
            defer { mark = now }
            return Double(now - mark) / Double(CLOCKS_PER_SEC)
        }
        let graph = try Graph.importONNX(data: data, source: "chain.onnx")
        let importing = lap()
        let units = graph.blockUnits()
        let detecting = lap()
        _ = try Onnx_ModelProto(serializedBytes: data)
        let parsing = lap()
        print(String(format: "100 000-node chain, CPU time: import %.2f s (of which protobuf parsing %.2f s), block detection %.2f s",
                     importing, parsing, detecting))

        XCTAssertEqual(graph.nodes.count, 2 * pairs)
        XCTAssertEqual(Set(graph.nodes.map(\.name)).count, 2 * pairs, "names made unique")
        XCTAssertEqual(units.count, pairs)
        XCTAssertEqual(units.first?.kind, .stem)
        XCTAssertEqual(units.last?.kind, .head)
        XCTAssertEqual(units.flatMap(\.nodeIndices), Array(graph.nodes.indices))
        XCTAssertTrue(units.allSatisfy { $0.nodeIndices.count == 2 }, "each Conv owns its Relu")
        XCTAssertEqual(graph.singleTensorCuts().count, 2 * pairs + 1)
    }

    /// The sweep finds the same cuts as the definition (one tensor written
    /// before and read after the position) on a graph with a residual branch.
    func testSingleTensorCutsOfAResidualGraph() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        var expected = [(Int, String)]()
        for position in 0...graph.nodes.count {
            var live = Set<String>()
            for (index, node) in graph.nodes.enumerated() where index >= position {
                for input in node.inputs where graph.sampleShapes[input] != nil {
                    let defined = graph.producerIndex(of: input) ?? -1
                    if defined < position { live.insert(input) }
                }
            }
            if position == graph.nodes.count { live.insert(graph.output) }
            if live.count == 1 { expected.append((position, live.first!)) }
        }
        let cuts = graph.singleTensorCuts()
        XCTAssertEqual(cuts.map(\.position), expected.map(\.0))
        XCTAssertEqual(cuts.map(\.tensor), expected.map(\.1))
    }
}
