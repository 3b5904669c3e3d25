import XCTest
@testable import Network

final class BlockDetectionTests: XCTestCase {
    private func assertPartition(_ graph: Graph, _ units: [ReconstructionUnit], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(units.flatMap(\.nodeIndices), Array(graph.nodes.indices), "units cover every node once, in order", file: file, line: line)
        XCTAssertEqual(units.first?.input, graph.input, file: file, line: line)
        XCTAssertEqual(units.last?.output, graph.output, file: file, line: line)
        for (a, b) in zip(units, units.dropFirst()) { XCTAssertEqual(a.output, b.input, file: file, line: line) }
    }

    func testResNetBlocks() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let units = graph.blockUnits()
        XCTAssertEqual(units.map(\.kind), [.stem, .basic, .basic, .bottleneck, .head])
        XCTAssertEqual(units.map(\.name), ["stem", "block1", "block2", "block3", "head"])
        XCTAssertEqual(units.map(\.layers.count), [1, 2, 3, 3, 1])  // block2 has a projection shortcut
        XCTAssertEqual(units.map(\.outputShape), [[8, 8, 8], [8, 8, 8], [16, 4, 4], [16, 4, 4], [10]])
        assertPartition(graph, units)
        // The stem owns its ReLU and the max pool after it (block1 reads the pooled tensor, as
        // in the reference); the head owns GAP + Flatten.
        XCTAssertEqual(units[0].nodeIndices.map { graph.nodes[$0].operation.kindName }, ["Conv", "Relu", "MaxPool"])
        XCTAssertEqual(graph.nodes[units[1].nodeIndices[0]].operation.kindName, "Conv")
        XCTAssertEqual(units[4].nodeIndices.map { graph.nodes[$0].operation.kindName }, ["GlobalAveragePool", "Flatten", "Linear"])
        // Params and MACs: the stem is 8·1·3·3 weights + 8 biases; 16×16 outputs × 9 MACs each per channel.
        XCTAssertEqual(units[0].parameters, 80)
        XCTAssertEqual(units[0].macs, 8 * 16 * 16 * 9)
        XCTAssertEqual(units[4].parameters, 170)
        XCTAssertEqual(units[4].macs, 160)
    }

    func testMobileNetInvertedResidualsWithAndWithoutSkip() throws {
        let graph = try loadFixture("tiny_mobilenet.onnx")
        let units = graph.blockUnits()
        XCTAssertEqual(units.map(\.kind), [.stem, .invertedResidual, .invertedResidual, .invertedResidual, .layer, .head])
        XCTAssertEqual(units.map(\.layers.count), [1, 2, 3, 3, 1, 1])
        assertPartition(graph, units)
        // The no-skip block (stride 2) has no Add at all.
        XCTAssertFalse(units[2].nodeIndices.contains { graph.nodes[$0].operation == .add })
    }

    /// The squeeze-excitation convs sit inside their block (typed by its main
    /// path), with or without a skip; the Fire module's two expansions joined
    /// by Concat are one block.
    func testSqueezeExcitationAndConcatBranchesStayInsideTheirBlocks() throws {
        let graph = try loadFixture("tiny_branches.onnx")
        let units = graph.blockUnits()
        XCTAssertEqual(units.map(\.kind), [.stem, .invertedResidual, .invertedResidual, .layer, .branched, .head])
        XCTAssertEqual(units.map(\.layers.count), [1, 5, 5, 1, 2, 1])
        assertPartition(graph, units)
    }

    func testGranularities() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let layers = graph.units(for: .layer)
        XCTAssertEqual(layers.count, 10)
        XCTAssertEqual(layers.first?.kind, .stem)
        XCTAssertEqual(layers.last?.kind, .head)
        XCTAssertEqual(layers[0].nodeIndices.count, 2, "conv + its ReLU")
        let stages = graph.units(for: .stage)
        XCTAssertEqual(stages.map(\.name), ["stem", "stage1", "stage2", "head"])
        XCTAssertEqual(stages[2].layers.count, 6)
        assertPartition(graph, stages)
        let net = graph.units(for: .net)
        XCTAssertEqual(net.map(\.kind), [.stem, .net, .head])
        assertPartition(graph, net)
        XCTAssertEqual(graph.stages().map { $0.map(\.name) }, [["block1"], ["block2", "block3"]])
        let total = graph.blockUnits().reduce(0) { $0 + $1.parameters }
        XCTAssertEqual(net.reduce(0) { $0 + $1.parameters }, total)
    }
}
