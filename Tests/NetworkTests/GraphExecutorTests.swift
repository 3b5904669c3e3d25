import TestFixtures
import XCTest
@testable import Network
import Tensor

final class GraphExecutorTests: XCTestCase {
    func testRunningUnitsOneAfterAnotherEqualsTheWholeGraph() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let executor = GraphExecutor(graph: graph)
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
        let executor = GraphExecutor(graph: graph)
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
        let executor = GraphExecutor(graph: graph)
        let input = randomTensor([3] + graph.inputSampleShape, seed: 7)
        let logits = try executor.run(feeding: [graph.input: input], returning: [graph.output],
                                      weights: [head.layers[0]: LayerWeights(weight: Tensor(zeros: fc.weight.shape))])[graph.output]!
        XCTAssertEqual(logits.data, Array((0..<3).map { _ in fc.bias.data }.joined()))
        XCTAssertThrowsError(try executor.run(feeding: [graph.input: input], returning: [graph.output],
                                              weights: [head.layers[0]: LayerWeights(weight: Tensor(zeros: [2, 2]))]))
    }

    /// An activation quantizer placed on every node sees each produced tensor
    /// once, in order, and what it writes is what the rest of the pass reads.
    func testActivationQuantizersSeeEveryProducedTensorAndTheirOutputPropagates() throws {
        let graph = try loadFixture("tiny_mobilenet.onnx")
        let executor = GraphExecutor(graph: graph)
        let input = randomTensor([2] + graph.inputSampleShape, seed: 8)
        let log = TensorLog()
        for (i, node) in graph.nodes.enumerated() {
            // Zero the pooled features: the logits must become the classifier bias.
            executor.setActivationQuantizer(
                ActivationQuantizerSlot(Recording(tensor: node.output, log: log, zeroes: node.operation == .globalAveragePool)), ofNode: i)
        }
        let zeroed = try executor.logits(for: input)
        XCTAssertEqual(log.names, graph.nodes.map(\.output))
        guard case .linear(let fc) = graph.nodes.last!.operation else { return XCTFail("last node is not linear") }
        XCTAssertEqual(Array(zeroed.data.prefix(10)), fc.bias.data)
    }

    /// After a forward pass without retained intermediates, tensors named with
    /// `retain` can still be read by name, and equal a run that returns them.
    func testRetainedOutputsAreReadableByNameAfterForward() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let input = randomTensor([2] + graph.inputSampleShape, seed: 9)
        let names = graph.blockUnits().map(\.output)
        let expected = try GraphExecutor(graph: graph, retainsIntermediates: true).run(feeding: [graph.input: input], returning: names)
        let executor = GraphExecutor(graph: graph)
        executor.retain(names)
        executor.setInput(input)
        var random = Xoshiro256StarStar(seed: 0)
        executor.forward(random: &random)
        for name in names { XCTAssertEqual(executor.value(of: name), expected[name], name) }
        // Not retained: recycled once its last reader ran.
        let recycled = graph.nodes.first { $0.operation == .relu && !names.contains($0.output) }!.output
        XCTAssertNil(executor.value(of: recycled)?.shape, recycled)
    }

    /// A run returns only what it computed or was fed: asking a unit's run for an
    /// earlier tensor is an error, not the value an earlier run left behind; and
    /// a run does not release tensors the caller retained.
    func testARunReturnsNothingLeftBehindByAnEarlierRun() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let executor = GraphExecutor(graph: graph)
        let input = randomTensor([2] + graph.inputSampleShape, seed: 10)
        let block = graph.blockUnits()[1]
        executor.retain([block.output])
        let first = try executor.run(feeding: [graph.input: input], returning: [block.input, block.output])
        XCTAssertThrowsError(try executor.run(nodes: block.nodeRange!, feeding: [block.input: first[block.input]!],
                                              returning: [graph.input])) { error in
            XCTAssertEqual(error as? GraphError, .unknownTensor(graph.input))
        }
        XCTAssertEqual(executor.value(of: block.output), first[block.output])
    }

    func testWrongInputShapeIsAnError() throws {
        let graph = try loadFixture("tiny_resnet.onnx")
        let executor = GraphExecutor(graph: graph)
        XCTAssertThrowsError(try executor.logits(for: Tensor(zeros: [1, 1, 8, 8]))) { error in
            guard case GraphError.shapeMismatch = error else { return XCTFail("\(error)") }
        }
    }
}

/// Tensor names in the order the quantizers saw them.
private final class TensorLog: @unchecked Sendable {
    // Safe: written only by the executor's forward pass on the test's own thread.
    var names: [String] = []
}

/// Records the tensor it quantizes and passes it through (or zeroes it).
private struct Recording: ActivationQuantizing {
    let tensor: String
    let log: TensorLog
    let zeroes: Bool

    func quantize(_ values: UnsafeMutableBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>?) {
        log.names.append(tensor)
        if zeroes { values.update(repeating: 0) }
    }

    func backward(input: UnsafeBufferPointer<Float>, keep: UnsafeBufferPointer<UInt8>?,
                  gradient: UnsafeMutableBufferPointer<Float>) -> Float { 0 }
}
