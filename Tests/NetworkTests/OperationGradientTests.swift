import Foundation
import XCTest
import TestFixtures
@testable import Network
import Tensor

/// Every operation's forward values and backward rule (Node+Backward.swift)
/// through the executor, against finite differences: of a Float64 reference
/// forward written here where one is short, else of the executor's own forward
/// (convolutions and pools, whose values are checked against references in
/// TensorTests and against ONNX Runtime in ExecutorParityTests). The last test
/// checks the executor's chaining over a small branchy graph.
final class OperationGradientTests: XCTestCase {
    /// A graph of one node `op` reading the inputs (in order) and then the constants.
    private func single(_ operation: Network.Operation, _ inputs: [(String, [Int])], constants: [(String, Tensor)] = []) throws -> Graph {
        try Graph(inputs: inputs.map { (name: $0.0, sampleShape: Array($0.1.dropFirst())) }, outputs: ["y"],
                  nodes: [Node(name: "op", operation: operation, inputs: inputs.map(\.0) + constants.map(\.0), output: "y")],
                  constants: Dictionary(uniqueKeysWithValues: constants))
    }

    private func conv(_ weightShape: [Int], stride: Int = 1, padding: Padding2D = .zero, groups: Int = 1, seed: UInt64) -> Network.Operation {
        .convolution(ConvolutionParameters(weight: randomTensor(weightShape, seed: seed),
                                           bias: randomTensor([weightShape[0]], seed: seed + 1),
                                           strideHeight: stride, strideWidth: stride, padding: padding, groups: groups))
    }

    func testConvolutions() throws {
        let pad1 = Padding2D(top: 1, left: 1, bottom: 1, right: 1)
        let cases: [(String, Network.Operation, [Int])] = [
            ("3×3", conv([4, 3, 3, 3], padding: pad1, seed: 1), [2, 3, 6, 6]),
            ("stride 2, asymmetric padding, 2 groups", conv([6, 2, 3, 3], stride: 2, padding: Padding2D(top: 0, left: 1, bottom: 1, right: 0),
                                                             groups: 2, seed: 3), [2, 4, 7, 7]),
            ("depthwise stride 2", conv([4, 1, 3, 3], stride: 2, padding: pad1, groups: 4, seed: 5), [2, 4, 6, 6]),
            ("depthwise stride 1", conv([3, 1, 3, 3], padding: pad1, groups: 3, seed: 6), [1, 3, 5, 5]),
            ("pointwise", conv([5, 3, 1, 1], seed: 7), [2, 3, 5, 5]),
            ("5×5 wide", conv([2, 2, 5, 3], padding: Padding2D(top: 2, left: 1, bottom: 2, right: 1), seed: 8), [1, 2, 6, 9]),
        ]
        for (label, operation, shape) in cases {
            let graph = try single(operation, [("x", shape)])
            assertGradientsMatchFiniteDifferences(graph, inputs: ["x": randomTensor(shape, seed: 11)], label)
        }
    }

    func testLinear() throws {
        let weight = randomTensor([3, 5], seed: 2), bias = randomTensor([3], seed: 3)
        let graph = try single(.linear(LinearParameters(weight: weight, bias: bias)), [("x", [4, 5])])
        assertGradientsMatchFiniteDifferences(graph, inputs: ["x": randomTensor([4, 5], seed: 4)]) { p in
            let (x, w) = (p["x"]!, p["op"]!)
            return (0..<4).flatMap { n in
                (0..<3).map { o in (0..<5).reduce(Double(bias.data[o])) { $0 + w[o * 5 + $1] * x[n * 5 + $1] } }
            }
        }
    }

    func testElementwiseActivations() throws {
        let shape = [2, 3, 4, 4]
        let x = spacedTensor(shape, seed: 5)
        let hardSigmoid = { (v: Double) in max(0, min(1, 0.2 * v + 0.5)) }
        let cases: [(Network.Operation, (Double) -> Double)] = [
            (.relu, { max(0, $0) }),
            (.clip(min: -0.5, max: 0.7), { max(-0.5, min(0.7, $0)) }),
            (.smooth(.leakyRelu(alpha: 0.1)), { $0 >= 0 ? $0 : 0.1 * $0 }),
            (.smooth(.hardSigmoid(alpha: 0.2, beta: 0.5)), hardSigmoid),
            (.smooth(.hardSwish), { $0 * max(0, min(1, $0 / 6 + 0.5)) }),
            (.smooth(.sigmoid), { 1 / (1 + Foundation.exp(-$0)) }),
            (.smooth(.tanh), { Foundation.tanh($0) }),
        ]
        for (operation, f) in cases {
            let graph = try single(operation, [("x", shape)])
            assertGradientsMatchFiniteDifferences(graph, inputs: ["x": x], reference: { p in p["x"]!.map(f) }, operation.kindName)
        }
    }

    func testAddOfTwoTensorsAndOfABroadcastConstant() throws {
        let shape = [2, 3, 4, 4]
        let (x, z) = (randomTensor(shape, seed: 6), randomTensor(shape, seed: 7))
        assertGradientsMatchFiniteDifferences(try single(.add, [("x", shape), ("z", shape)]), inputs: ["x": x, "z": z]) { p in
            zip(p["x"]!, p["z"]!).map(+)
        }
        let c = randomTensor([3, 1, 1], seed: 8)
        assertGradientsMatchFiniteDifferences(try single(.add, [("x", shape)], constants: [("c", c)]), inputs: ["x": x]) { p in
            p["x"]!.enumerated().map { $1 + Double(c.data[($0 / 16) % 3]) }
        }
    }

    func testMulByABroadcastGateAndByABroadcastConstant() throws {
        let shape = [2, 3, 4, 4]
        let x = randomTensor(shape, seed: 9), gate = randomTensor([2, 3, 1, 1], seed: 10)
        assertGradientsMatchFiniteDifferences(try single(.mul, [("x", shape), ("g", [2, 3, 1, 1])]), inputs: ["x": x, "g": gate]) { p in
            p["x"]!.enumerated().map { $1 * p["g"]![$0 / 16] }
        }
        let row = randomTensor([1, 4], seed: 11)
        assertGradientsMatchFiniteDifferences(try single(.mul, [("x", shape)], constants: [("c", row)]), inputs: ["x": x]) { p in
            p["x"]!.enumerated().map { $1 * Double(row.data[$0 % 4]) }
        }
    }

    func testConcat() throws {
        let shapes = [[2, 2, 3, 3], [2, 3, 3, 3], [2, 1, 3, 3]]
        let names = ["a", "b", "c"]
        let inputs = Dictionary(uniqueKeysWithValues: zip(names, shapes.enumerated().map { randomTensor($1, seed: UInt64(12 + $0)) }))
        let graph = try single(.concat(axis: 1), Array(zip(names, shapes)))
        assertGradientsMatchFiniteDifferences(graph, inputs: inputs) { p in
            var joined: [Double] = []
            for n in 0..<2 {
                for (name, shape) in zip(names, shapes) {
                    let per = shape[1] * 9
                    joined += p[name]![(n * per)..<((n + 1) * per)]
                }
            }
            return joined
        }
    }

    func testPools() throws {
        let pad1 = Padding2D(top: 1, left: 1, bottom: 1, right: 1)
        let cases: [(String, Network.Operation, [Int])] = [
            ("max 3×3 stride 2 padded", .maxPool(PoolParameters(kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2, padding: pad1)),
             [2, 2, 7, 7]),
            ("max 2×2 ceil", .maxPool(PoolParameters(kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2, ceilMode: true)),
             [1, 2, 5, 5]),
            ("average 3×3 stride 2 padded, padding not counted",
             .averagePool(PoolParameters(kernelHeight: 3, kernelWidth: 3, strideHeight: 2, strideWidth: 2, padding: pad1)), [2, 2, 7, 7]),
            ("average 2×2 ceil, padding counted",
             .averagePool(PoolParameters(kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2, ceilMode: true, countIncludePad: true)),
             [1, 2, 5, 5]),
        ]
        for (label, operation, shape) in cases {
            assertGradientsMatchFiniteDifferences(try single(operation, [("x", shape)]), inputs: ["x": spacedTensor(shape, seed: 15)], label)
        }
        let x = randomTensor([2, 3, 4, 5], seed: 16)
        assertGradientsMatchFiniteDifferences(try single(.globalAveragePool, [("x", [2, 3, 4, 5])]), inputs: ["x": x]) { p in
            (0..<6).map { plane in p["x"]![(plane * 20)..<((plane + 1) * 20)].reduce(0, +) / 20 }
        }
    }

    func testFlattenAndReshapeRouteGradientsUnchanged() throws {
        let x = randomTensor([2, 3, 2, 2], seed: 17)
        for operation in [Network.Operation.flatten, .reshape(sampleShape: [6, 2])] {
            assertGradientsMatchFiniteDifferences(try single(operation, [("x", [2, 3, 2, 2])]), inputs: ["x": x]) { $0["x"]! }
        }
    }

    /// Conv → tanh → {1×1 conv, depthwise conv} → add → squeeze-excitation gate (GAP, sigmoid, broadcast Mul)
    /// → concat with the tanh output → average pool → flatten → linear: every gradient is routed through
    /// several readers of one tensor, and the conv and linear weight gradients are checked too.
    func testChainedBackwardOverABranchyGraph() throws {
        let pad1 = Padding2D(top: 1, left: 1, bottom: 1, right: 1)
        let nodes = [
            Node(name: "stem", operation: conv([4, 3, 3, 3], padding: pad1, seed: 20), inputs: ["x"], output: "s"),
            Node(name: "act", operation: .smooth(.tanh), inputs: ["s"], output: "t"),
            Node(name: "point", operation: conv([4, 4, 1, 1], seed: 22), inputs: ["t"], output: "a"),
            Node(name: "depth", operation: conv([4, 1, 3, 3], padding: pad1, groups: 4, seed: 24), inputs: ["t"], output: "b"),
            Node(name: "sum", operation: .add, inputs: ["a", "b"], output: "u"),
            Node(name: "squeeze", operation: .globalAveragePool, inputs: ["u"], output: "q"),
            Node(name: "excite", operation: .smooth(.sigmoid), inputs: ["q"], output: "e"),
            Node(name: "gate", operation: .mul, inputs: ["u", "e"], output: "m"),
            Node(name: "join", operation: .concat(axis: 1), inputs: ["m", "t"], output: "c"),
            Node(name: "pool", operation: .averagePool(PoolParameters(kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2)),
                 inputs: ["c"], output: "p"),
            Node(name: "flat", operation: .flatten, inputs: ["p"], output: "f"),
            Node(name: "fc", operation: .linear(LinearParameters(weight: randomTensor([5, 72], seed: 26),
                                                                 bias: randomTensor([5], seed: 27))), inputs: ["f"], output: "y"),
        ]
        let graph = try Graph(inputs: [("x", [3, 6, 6])], outputs: ["y"], nodes: nodes)
        assertGradientsMatchFiniteDifferences(graph, inputs: ["x": randomTensor([2, 3, 6, 6], seed: 28)], epsilon: 3e-3, tolerance: 2e-3)
    }
}
