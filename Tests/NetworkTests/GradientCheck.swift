import XCTest
import TestFixtures
@testable import Network
import Tensor

/// Checks the executor on `graph` against an independent reference: its
/// backward pass (∂L/∂ every graph input and ∂L/∂W of every convolution and
/// linear layer, L = Σ r ⊙ output for a fixed pseudo-random r) against central
/// finite differences of L.
///
/// With `reference` (a Float64 forward of the graph written in the test, given
/// the inputs by tensor name and the layers' weights by node name), the
/// executor's output values are checked against it and the differences are
/// taken on it (step 1e-6: accurate to ~1e-9). Without, the differences are
/// taken on the executor's own forward pass in Float (step `epsilon`; L summed
/// in Double), which is exact for the operations that are linear in each
/// operand (convolutions, pools) up to rounding; inputs must then keep
/// piecewise-linear operations (max pool) away from their kinks.
func assertGradientsMatchFiniteDifferences(
    _ graph: Graph, inputs: [String: Tensor], reference: (([String: [Double]]) -> [Double])? = nil,
    epsilon: Double = 1e-2, tolerance: Double = 1e-3, _ label: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    let layers = graph.nodes.indices.filter { graph.nodes[$0].operation.isParametric }
    let executor = GraphExecutor(graph: graph, retainsIntermediates: true)
    for i in layers { executor.setTrainsWeight(true, ofNode: i) }
    for (name, tensor) in inputs { executor.setInput(tensor, named: name) }
    var random = Xoshiro256StarStar(seed: 0)
    executor.forward(random: &random)
    let output = executor.output
    let r = randomTensor(output.shape, seed: 99)

    // Everything L depends on, as Doubles: inputs by tensor name, weights by node name.
    var parameters = [String: [Double]]()
    for (name, tensor) in inputs { parameters[name] = tensor.data.map(Double.init) }
    for i in layers { parameters[graph.nodes[i].name] = executor.weight(ofNode: i)!.data.map(Double.init) }

    func loss(_ p: [String: [Double]]) -> Double {
        let y: [Double]
        if let reference {
            y = reference(p)
        } else {
            let probe = GraphExecutor(graph: graph)
            for name in inputs.keys { probe.setInput(Tensor(shape: inputs[name]!.shape, data: p[name]!.map(Float.init)), named: name) }
            for i in layers {
                probe.setWeight(Tensor(shape: executor.weight(ofNode: i)!.shape, data: p[graph.nodes[i].name]!.map(Float.init)), ofNode: i)
            }
            var unused = Xoshiro256StarStar(seed: 0)
            probe.forward(random: &unused)
            y = probe.output.data.map(Double.init)
        }
        return zip(y, r.data).reduce(0) { $0 + $1.0 * Double($1.1) }
    }

    if let reference {
        let expected = reference(parameters)
        XCTAssertEqual(output.count, expected.count, "\(label) output size", file: file, line: line)
        let scale = expected.reduce(1) { max($0, abs($1)) }
        let worst = zip(output.data, expected).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
        XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(label) forward values: worst difference \(worst)", file: file, line: line)
    }

    executor.backward(outputGradient: { g in for i in g.indices { g[i] = r.data[i] } }, computeInputGradient: true)
    var analytic = [String: [Float]]()
    for name in inputs.keys { analytic[name] = executor.gradient(of: name)?.data ?? [Float](repeating: 0, count: inputs[name]!.count) }
    for i in layers { analytic[graph.nodes[i].name] = executor.weightGradient(ofNode: i).data }

    let step = reference == nil ? epsilon : 1e-6
    for (name, gradient) in analytic.sorted(by: { $0.key < $1.key }) {
        XCTAssertEqual(gradient.count, parameters[name]!.count, "\(label) \(name): gradient size", file: file, line: line)
        let scale = gradient.reduce(Float(1e-3)) { max($0, abs($1)) }
        var worst = 0.0, worstAt = -1
        // At most ~80 elements per tensor, spread over it.
        for k in stride(from: 0, to: gradient.count, by: max(1, gradient.count / 80)) {
            var plus = parameters, minus = parameters
            plus[name]![k] += step
            minus[name]![k] -= step
            let numeric = (loss(plus) - loss(minus)) / (2 * step)
            let error = abs(Double(gradient[k]) - numeric)
            if error > worst { (worst, worstAt) = (error, k) }
        }
        XCTAssertLessThanOrEqual(worst, tolerance * Double(scale), "\(label) ∂L/∂\(name): worst error \(worst) at \(worstAt), gradient scale \(scale)",
                                 file: file, line: line)
    }
}

/// `count` distinct values 0.1 apart, none within 0.05 of a multiple of 0.1 (kinks of
/// ReLU at 0, of test clips at tenths), shuffled: a max-pool window or a kink is never
/// crossed by a finite-difference step below 0.05.
func spacedTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    let count = shape.reduce(1, *)
    var values = (0..<count).map { Float($0 - count / 2) * 0.1 + 0.05 }
    var rng = Xoshiro256StarStar(seed: seed)
    values.shuffle(using: &rng)
    return Tensor(shape: shape, data: values)
}
