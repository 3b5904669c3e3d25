import Foundation
import Network
import Tensor
import XCTest
import TestFixtures
@testable import Quantization

/// `QuantizationAnalysis` against independent references: the accumulated
/// error of the bundled ResNet at W4A4 round-to-nearest against ONNX Runtime
/// and NumPy on the exported QDQ model (scripts/analysis_reference.py), and
/// the isolated sensitivities' ranking against the mixed-precision search's.
final class AnalysisReferenceTests: XCTestCase {
    private func example(_ name: String) throws -> (graph: Graph, path: String) {
        let path = ExportSupport.repositoryRoot.appendingPathComponent("Examples/\(name)/model.onnx").path
        let config = try ModelConfig.load(path: ModelConfig.path(forModel: path))
        return (try Graph.importONNX(path: path, options: ONNXImportOptions(inputSampleShape: config.inputShape)), path)
    }

    /// Round-to-nearest W4A4 with activation ranges calibrated as `brecq analyze` does.
    private func roundToNearest(_ graph: Graph, calibration: Tensor) -> QuantizedModel {
        let configuration = QuantizationConfiguration(weightBits: 4, activationBits: 4)
        return QuantizedModel.initial(graph: graph, configuration: configuration)
            .calibratingMissingActivations(graph: graph, images: calibration, configuration: configuration)
    }

    func testAccumulatedErrorMatchesONNXRuntimeOnExportedResNet() throws {
        let (graph, fpPath) = try example("fashion-resnet20")
        let model = roundToNearest(graph, calibration: ExportSupport.images(64, for: graph, seed: 21))
        let images = ExportSupport.images(96, for: graph, seed: 22)
        let report = QuantizationAnalysis.analyze(graph: graph, model: model, images: images,
                                                  settings: AnalysisSettings(batchSize: 40, measuresIsolated: false))
        XCTAssertEqual(report.layers.count, model.layers.count)

        let directory = try temporaryDirectory("analysis")
        defer { try? FileManager.default.removeItem(at: directory) }
        let qdqPath = directory.appendingPathComponent("model.onnx").path
        try QDQExporter(graph: graph, model: model).write(modelPath: qdqPath, encodingsPath: QDQExporter.encodingsPath(forModel: qdqPath))
        let inputPath = directory.appendingPathComponent("input.npy").path
        try NPYArray(shape: images.shape, values: images.data.map(Double.init)).write(to: inputPath)
        let tensors = Dictionary(uniqueKeysWithValues: report.layers.map { ($0.layer, graph.node(named: $0.layer)!.output) })
        let tensorsPath = directory.appendingPathComponent("tensors.json").path
        try JSONSerialization.data(withJSONObject: tensors).write(to: URL(fileURLWithPath: tensorsPath))

        let output = try ExportSupport.runScript("scripts/analysis_reference.py", [fpPath, qdqPath, inputPath, tensorsPath])
        let reference = try JSONSerialization.jsonObject(with: output) as? [String: Any] ?? [:]
        var largest = 0.0
        for layer in report.layers {
            let expected = try XCTUnwrap(reference[layer.layer] as? [String: Any], layer.layer)
            let db = try XCTUnwrap(expected["noise_to_signal_db"] as? Double, layer.layer)
            let cosine = try XCTUnwrap(expected["cosine"] as? Double, layer.layer)
            XCTAssertEqual(layer.accumulated.noiseToSignalDecibels, db, accuracy: 1e-3, layer.layer)
            XCTAssertEqual(layer.accumulated.cosine, cosine, accuracy: 1e-5, layer.layer)
            largest = max(largest, abs(layer.accumulated.noiseToSignalDecibels - db))
        }
        // The figures must not be trivial: quantization noise is there and grows past the stem.
        XCTAssertGreaterThan(report.worstFirst.first!.accumulated.noiseToSignalDecibels, -30)
        print("analysis reference: \(report.layers.count) layers, largest |Δ dB| \(largest)")
    }

    /// Isolated weight sensitivities (KL at the output, RTN) rank the
    /// searchable layers like the search's diagonal (each layer alone, its
    /// block's output error under the output Fisher, block input FP) at the
    /// same bits; prints Spearman's ρ at 2 and 4 bits (docs/analysis.md quotes
    /// them). The diagonal is the second-order estimate of the same KL, so the
    /// issue's bound ρ ≥ 0.8 holds at both; with the damped reconstruction
    /// weights it was 0.59 and −0.41 (docs/analysis.md).
    func testIsolatedSensitivityRanksLikeTheSearchDiagonal() throws {
        let (graph, path) = try example("fashion-resnet20")
        // Real images: on noise the network's output barely depends on most layers.
        let source: DatasetSource
        do { source = try DatasetSource(argument: "fashion-mnist") } catch { throw XCTSkip("\(error)") }
        let config = try ModelConfig.load(path: ModelConfig.path(forModel: path))
        let images = try source.calibration(count: 256, config: config).images
        var rhos: [Int: Double] = [:]
        for bits in [2, 4] {
            let settings = SensitivityAnalysis.Settings(candidateBits: [bits], activationBits: 32)
            let table = SensitivityAnalysis.measure(graph: graph, images: images, settings: settings)
            let model = QuantizedModel.initial(graph: graph, configuration: QuantizationConfiguration(weightBits: bits, activationBits: 32))
            let report = QuantizationAnalysis.analyze(graph: graph, model: model, images: images, settings: AnalysisSettings(batchSize: 64))
            let searched = SearchSpace(graph: graph, firstLastBits: settings.firstLastBits).layers
            let isolated = searched.map { name in report.layers.first { $0.layer == name }!.isolated!.weights.kl }
            let diagonal = searched.indices.map { table.single[$0][0] }
            rhos[bits] = Self.spearman(isolated, diagonal)
            print("analysis spearman W\(bits): \(searched.count) layers, rho \(rhos[bits]!)")
        }
        XCTAssertGreaterThanOrEqual(rhos[2]!, 0.8)
        XCTAssertGreaterThanOrEqual(rhos[4]!, 0.8)
    }

    func testSpearmanOfKnownRankings() {
        XCTAssertEqual(Self.spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1, accuracy: 1e-12)
        XCTAssertEqual(Self.spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1, accuracy: 1e-12)
        // d = (0, 0, 1, −1): ρ = 1 − 6·2 / (4·15) = 0.8
        XCTAssertEqual(Self.spearman([1, 2, 3, 4], [1, 2, 4, 3]), 0.8, accuracy: 1e-12)
    }

    /// Spearman's rank correlation (Pearson's on average ranks, so ties are fair).
    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ x: [Double]) -> [Double] {
            let order = x.indices.sorted { x[$0] < x[$1] }
            var r = [Double](repeating: 0, count: x.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
                i = j + 1
            }
            return r
        }
        let ra = ranks(a), rb = ranks(b)
        let ma = ra.reduce(0, +) / Double(ra.count), mb = rb.reduce(0, +) / Double(rb.count)
        var num = 0.0, da = 0.0, db = 0.0
        for i in ra.indices { num += (ra[i] - ma) * (rb[i] - mb); da += (ra[i] - ma) * (ra[i] - ma); db += (rb[i] - mb) * (rb[i] - mb) }
        return num / (da * db).squareRoot()
    }
}
