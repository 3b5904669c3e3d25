import TestFixtures
import XCTest
@testable import Network
import Tensor

final class GraphExecutorTests: XCTestCase {
    func testRunningUnitsOneAfterAnotherEqualsTheWholeGraph() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        var executor = GraphExecutor(graph: graph)
        let input = randomTensor([2] + graph.inputSampleShape, seed: 5)
        let whole = try executor.logits(for: input)
        for granularity in Granularity.allCases where granularity != .layer {
            var x = input
            for unit in graph.units(for: granularity) { x = try executor.run(unit, input: x) }
            XCTAssertEqual(x, whole, "\(granularity)")
        }
    }

    func testCapturesIntermediatesAndFreesNothingItWasAskedFor() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        var executor = GraphExecutor(graph: graph)
        let units = graph.blockUnits()
        let names = units.map(\.output)
        let input = randomTensor([2] + graph.inputSampleShape, seed: 6)
        let captured = try executor.run(feeding: [graph.input: input], returning: names + [graph.input])
        for unit in units { XCTAssertEqual(captured[unit.output]?.shape, [2] + unit.outputShape, unit.name) }
        XCTAssertEqual(captured[graph.input], input)
        // A sub-range fed from a captured tensor reproduces the captured output.
        let block = units[2]
        XCTAssertEqual(try executor.run(block, input: captured[block.input]!), captured[block.output])
    }

    func testWeightOverrideReplacesALayer() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let head = graph.blockUnits().last!
        guard case .linear(let fc) = graph.node(named: head.layers[0])!.operation else { return XCTFail("head is not linear") }
        var executor = GraphExecutor(graph: graph)
        let input = randomTensor([3] + graph.inputSampleShape, seed: 7)
        let logits = try executor.run(feeding: [graph.input: input], returning: [graph.output],
                                      weights: [head.layers[0]: LayerWeights(weight: Tensor(zeros: fc.weight.shape))])[graph.output]!
        XCTAssertEqual(logits.data, Array((0..<3).map { _ in fc.bias.data }.joined()))
        XCTAssertThrowsError(try executor.run(feeding: [graph.input: input], returning: [graph.output],
                                              weights: [head.layers[0]: LayerWeights(weight: Tensor(zeros: [2, 2]))]))
    }

    func testActivationHookSeesEveryProducedTensorAndItsReplacementPropagates() throws {
        let graph = try loadFixture("tiny_mobilenet.onnx")
        var executor = GraphExecutor(graph: graph)
        let input = randomTensor([2] + graph.inputSampleShape, seed: 8)
        var seen = [String]()
        let zeroed = try executor.run(feeding: [graph.input: input], returning: [graph.output]) { name, value in
            seen.append(name)
            // Zero the pooled features: the logits must become the classifier bias.
            return graph.producerIndex(of: name).map { graph.nodes[$0].operation == .globalAveragePool } == true
                ? Tensor(zeros: value.shape) : value
        }[graph.output]!
        XCTAssertEqual(seen, graph.nodes.map(\.output))
        guard case .linear(let fc) = graph.nodes.last!.operation else { return XCTFail("last node is not linear") }
        XCTAssertEqual(Array(zeroed.data.prefix(10)), fc.bias.data)
    }

    func testWrongInputShapeIsAnError() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        var executor = GraphExecutor(graph: graph)
        XCTAssertThrowsError(try executor.logits(for: Tensor(zeros: [1, 1, 8, 8]))) { error in
            guard case GraphError.shapeMismatch = error else { return XCTFail("\(error)") }
        }
    }
}
