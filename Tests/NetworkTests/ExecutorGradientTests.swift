import XCTest
import TestFixtures
@testable import Network
import Tensor

/// The executor's backward pass through whole imported networks (FP, no
/// quantizers) against PyTorch autograd on the module the fixture was exported
/// from (`scripts/make_network_fixtures.py` saves x, r and ∂(Σ r·logits)/∂x).
/// Every operator's gradient and its routing — the broadcast Mul gate and its
/// reduction, Concat, the residual Add, the smooth activations — lies on the
/// path from the logits to the image. (Finite differences are too noisy here:
/// these networks barely respond to one pixel, so Float rounding of the logits
/// swamps the difference quotient.)
final class ExecutorGradientTests: XCTestCase {
    private func assertMatchesPyTorch(_ fixture: String, layers: [String] = [],
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let graph = try loadFixture(fixture + ".onnx")
        func load(_ suffix: String) throws -> Tensor {
            let array = try NPYArray(path: repositoryRoot.appendingPathComponent("Tests/Fixtures/\(fixture).\(suffix).npy").path)
            return Tensor(shape: array.shape, data: array.values.map(Float.init))
        }
        let (x, r, expected) = (try load("input"), try load("output-weights"), try load("input-gradient"))
        let executor = GraphExecutor(graph: graph, retainsIntermediates: true)
        let trained = try layers.map { name in try XCTUnwrap(graph.nodeIndex(named: name), name, file: file, line: line) }
        for i in trained { executor.setTrainsWeight(true, ofNode: i) }
        executor.setInput(x)
        var random = Xoshiro256StarStar(seed: 0)
        executor.forward(random: &random)
        let gradient = try XCTUnwrap(executor.backward(outputGradient: { g in for i in g.indices { g[i] = r.data[i] } },
                                                      computeInputGradient: true), file: file, line: line)
        assertClose(gradient, expected, "\(fixture) input", file: file, line: line)
        for (name, i) in zip(layers, trained) {
            let reference = try load(name.trimmingCharacters(in: ["/"]).replacingOccurrences(of: "/", with: "_") + ".weight-gradient")
            assertClose(executor.weightGradient(ofNode: i), reference, "\(fixture) \(name)", file: file, line: line)
        }
    }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, _ label: String, file: StaticString, line: UInt) {
        XCTAssertEqual(actual.shape, expected.shape, label, file: file, line: line)
        let scale = expected.data.reduce(0) { max($0, abs($1)) }
        XCTAssertGreaterThan(scale, 0, label, file: file, line: line)
        let worst = zip(actual.data, expected.data).reduce(0) { max($0, abs($1.0 - $1.1)) }
        XCTAssertLessThanOrEqual(worst, 1e-4 * scale, "\(label): worst \(worst), largest \(scale)", file: file, line: line)
    }

    func testSqueezeExcitationConcatAndConstantMul() throws {
        try assertMatchesPyTorch("tiny_branches", layers: ["/block/fc1/Conv", "/fire/e1/e1.0/Conv"])
    }
    func testSmoothActivationsAndResidualAdd() throws { try assertMatchesPyTorch("tiny_activations") }
    /// Sub and Div by constants (lowered to Add and Mul). The reference is NumPy's float64 gradient, which
    /// scripts/make_operator_fixtures.py checks against central finite differences before saving it.
    func testConstantSubAndDiv() throws { try assertMatchesPyTorch("tiny_normalise") }
    /// Zero Pads folded into Convs (asymmetric before a stride-2 Conv): the reference is central finite
    /// differences of a float64 NumPy forward pass (scripts/make_operator_fixtures.py).
    func testPadFoldedIntoConvolutions() throws { try assertMatchesPyTorch("tiny_pad") }
}
