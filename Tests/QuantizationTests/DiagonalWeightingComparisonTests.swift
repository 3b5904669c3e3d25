import Foundation
import Network
import Tensor
import XCTest
import TestFixtures
@testable import Quantization

/// Why the search's diagonal and the isolated KL rank layers differently
/// (issue 19, docs/analysis.md): the diagonal of the ResNet example under
/// several weightings of the block-output error, each ranked against the
/// isolated weight KL. Run with BRECQ_DIAGONAL_COMPARISON=1 (≈ 20 s); it
/// prints `EXP` lines and checks the cause found: BRECQ's damped Fisher
/// g = |∂KL/∂z|/32 + 1 is 1 + O(1e-5), so the search's "Fisher" diagonal ranks
/// exactly like the plain block-output MSE.
final class DiagonalWeightingComparisonTests: XCTestCase {
    func testDiagonalWeightingsAgainstIsolatedKL() throws {
        guard ProcessInfo.processInfo.environment["BRECQ_DIAGONAL_COMPARISON"] == "1" else {
            throw XCTSkip("set BRECQ_DIAGONAL_COMPARISON=1")
        }
        let path = ExportSupport.repositoryRoot.appendingPathComponent("Examples/fashion-resnet20/model.onnx").path
        let config = try ModelConfig.load(path: ModelConfig.path(forModel: path))
        let graph = try Graph.importONNX(path: path, options: ONNXImportOptions(inputSampleShape: config.inputShape))
        let source: DatasetSource
        do { source = try DatasetSource(argument: "fashion-mnist") } catch { throw XCTSkip("\(error)") }
        let data = try source.calibration(count: 256, config: config)
        let images = data.images, labels = data.labels
        let space = SearchSpace(graph: graph, firstLastBits: 8)
        let session = QuantizationSession(graph: graph, calibration: images,
                                          configuration: QuantizationConfiguration(weightBits: 4, activationBits: 32, firstLastBits: 8))
        let unitIndex = Dictionary(uniqueKeysWithValues: space.units.enumerated().map { ($1, $0) })
        let classes = session.fpLogits.shape[1]
        let kinds = ["current", "mse", "nsr", "g4raw", "trueFisher", "labelCE2"]
        for bits in [2, 4] {
            var diag = [String: [Double]]()
            for k in kinds { diag[k] = [Double](repeating: 0, count: space.count) }
            var scales: [String] = []
            var fpStream = images
            for block in session.blocks {
                let range = block.nodeRange!
                let fpTargets = QuantizationSession.run(session.makeExecutor(nodes: range, input: block.input, quantized: false), on: fpStream, chunk: 64)
                defer { fpStream = fpTargets }
                guard let u = unitIndex[block.name] else { continue }
                let layers = space.layersByUnit[u]
                // Gradients at the FP block output through the FP rest of the network.
                let n = fpTargets.shape[0], per = fpTargets.count / n
                let restRange = range.upperBound..<graph.nodes.count
                let rest = GraphExecutor(graph: graph, nodes: restRange, retainsIntermediates: true)
                var trueF = Tensor(zeros: fpTargets.shape), ce = Tensor(zeros: fpTargets.shape)
                var random = Random.unused
                var start = 0
                while start < n {
                    let end = min(n, start + 32), b = end - start
                    rest.setInput(batch: b) { dst in fpTargets.data.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress! + start * per, count: b * per) } }
                    rest.forward(random: &random)
                    let p = Softmax.forward(logits: rest.output)
                    func back(_ lg: [Float]) -> [Float] {
                        rest.backward(outputGradient: { g in lg.withUnsafeBufferPointer { g.baseAddress!.update(from: $0.baseAddress!, count: $0.count) } }, computeInputGradient: true)!.data
                    }
                    for c in 0..<classes {
                        var lg = [Float](repeating: 0, count: b * classes)
                        for i in 0..<b { for k in 0..<classes { lg[i * classes + k] = p.data[i * classes + k] - (k == c ? 1 : 0) } }
                        let g = back(lg)
                        for i in 0..<b { let pc = p.data[i * classes + c]; for e in 0..<per { trueF.data[(start + i) * per + e] += pc * g[i * per + e] * g[i * per + e] } }
                    }
                    var lg = [Float](repeating: 0, count: b * classes)
                    for i in 0..<b { for k in 0..<classes { lg[i * classes + k] = p.data[i * classes + k] - (k == labels[start + i] ? 1 : 0) } }
                    let g = back(lg)
                    for i in 0..<b * per { ce.data[start * per + i] = abs(g[i]) }
                    start = end
                }
                for i in trueF.data.indices { trueF.data[i] = trueF.data[i].squareRoot() }
                let cur = FisherWeights.compute(session: session, unitRange: range, inputName: block.input, inputs: ActivationCache(fpStream, precision: .fp32), withActivations: false).tensor()
                var raw = cur; for i in raw.data.indices { raw.data[i] = (raw.data[i] - 1) * 32 }
                let meanG = raw.data.reduce(0) { $0 + Double($1) } / Double(raw.count)
                let meanF = trueF.data.reduce(0) { $0 + Double($1) } / Double(trueF.count)
                scales.append("\(block.name): mean|g4|/32=\(meanG / 32) meanSqrtF=\(meanF)")
                let channels = fpTargets.shape[1], positions = fpTargets.count / channels
                let energy = fpTargets.data.reduce(0) { $0 + Double($1) * Double($1) } / Double(positions)
                let weightings: [String: Tensor?] = ["current": cur, "mse": nil, "g4raw": raw, "trueFisher": trueF, "labelCE2": ce]
                for (k, f) in weightings {
                    let m = UnitErrorMeasurer(session: session, range: range, input: block.input, inputs: fpStream, targets: fpTargets, fisher: f, layers: layers.map { space.layers[$0] })
                    for (j, i) in layers.enumerated() {
                        let node = graph.node(named: space.layers[i])!
                        let w = QuantizedModel.weight(of: node)
                        diag[k]![i] = m.error(replacing: [j: QuantizedModel.roundToNearest(layer: node.name, weight: w, bits: bits).dequantized(shape: w.shape)])
                    }
                }
                for i in layers { diag["nsr"]![i] = diag["mse"]![i] / energy }
            }
            let model = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: bits, activationBits: 32))
            let report = QuantizationAnalysis.analyze(graph: graph, model: model, images: images, settings: AnalysisSettings(batchSize: 64))
            let isolated = space.layers.map { name in report.layers.first { $0.layer == name }!.isolated!.weights.kl }
            for s in scales { print("EXP scale \(s)") }
            for (i, name) in space.layers.enumerated() {
                print("EXP W\(bits) \(name) iso=\(isolated[i]) " + kinds.map { "\($0)=\(diag[$0]![i])" }.joined(separator: " "))
            }
            for k in kinds { print("EXP W\(bits) rho \(k) = \(AnalysisReferenceTests.spearman(isolated, diag[k]!))") }
            // The cause: the damped Fisher weighting is inert, the diagonal is the block-output MSE.
            XCTAssertEqual(AnalysisReferenceTests.spearman(diag["current"]!, diag["mse"]!), 1, accuracy: 1e-12)
            for i in space.layers.indices {
                XCTAssertEqual(diag["current"]![i] / diag["mse"]![i], 1, accuracy: 1e-4, space.layers[i])
            }
        }
    }
}
