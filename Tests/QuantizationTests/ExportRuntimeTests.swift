import Foundation
import Network
import Tensor
import TestFixtures
import XCTest
@testable import Quantization

/// Exported QDQ models against ONNX Runtime: the checker passes, the layout
/// matches the encodings, and ORT's logits are the engine's simulated
/// quantization up to float summation order (docs/export.md, "Tolerance").
final class ExportRuntimeTests: XCTestCase {
    /// Logits may differ by float summation order inside Conv/Gemm (~1e-6
    /// relative); on the rare element that sits on a rounding boundary of an
    /// activation quantizer that flips one level, and the flip propagates. The
    /// bounds below allow that, relative to the largest logit.
    /// Measured on the tiny fixtures: max ≤ 6e-8, mean ≤ 6e-9 (often exactly 0).
    static let meanTolerance: Float = 1e-5
    static let maxTolerance: Float = 1e-2
    /// Share of images whose top-1 class must agree.
    static let argmaxAgreement = 0.99

    private struct Measured {
        var maxDifference: Float
        var meanDifference: Float
        var agreement: Double
        var optimizedAgreement: Double
        var optimizedMaxDifference: Float
    }

    private func exportAndCompare(_ graph: Graph, model: QuantizedModel, images: Tensor, label: String) throws -> Measured {
        let directory = try temporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: directory) }
        let modelPath = directory.appendingPathComponent("model.onnx").path
        let encodingsPath = QDQExporter.encodingsPath(forModel: modelPath)
        try QDQExporter(graph: graph, model: model).write(modelPath: modelPath, encodingsPath: encodingsPath)
        let ort = try ExportSupport.runONNXRuntime(model: modelPath, encodings: encodingsPath, images: images, in: directory)
        XCTAssertEqual(ort.report["checker"] as? String, "ok")
        let ops = ort.report["ops"] as? [String: Int] ?? [:]
        let layers = model.layers.count
        // Activations whose zero point fits no 8-bit type are written in float (docs/export.md), without Q/DQ.
        let encodings = try JSONDecoder().decode(QuantizationEncodings.self, from: Data(contentsOf: URL(fileURLWithPath: encodingsPath)))
        XCTAssertEqual(encodings.activations.count, model.activations.filter(\.isQuantized).count, label)
        let pairs = encodings.activations.filter { $0.onnxForm == .qdq }.count
        XCTAssertEqual(ops["DequantizeLinear"], layers + pairs, label)
        XCTAssertEqual(ops["QuantizeLinear"] ?? 0, pairs, label)

        var simulated = ExportSupport.simulatedLogits(graph, model: model, images: images)
        // A model that returned probabilities gets its Softmax back on export.
        if graph.removedOutputSoftmax != nil { simulated = Softmax.forward(logits: simulated) }
        let scale = max(ExportSupport.maxAbs(simulated), 1)
        let difference = ExportSupport.maxAbsDifference(simulated, ort.logits)
        let mean = zip(simulated.data, ort.logits.data).reduce(Float(0)) { $0 + abs($1.0 - $1.1) } / Float(simulated.count)
        let ours = ExportSupport.argmax(simulated)
        let agree = zip(ours, ExportSupport.argmax(ort.logits)).filter { $0 == $1 }.count
        let agreeOptimized = zip(ours, ExportSupport.argmax(ort.optimizedLogits)).filter { $0 == $1 }.count
        let measured = Measured(maxDifference: difference / scale, meanDifference: mean / scale,
                                agreement: Double(agree) / Double(ours.count),
                                optimizedAgreement: Double(agreeOptimized) / Double(ours.count),
                                optimizedMaxDifference: ExportSupport.maxAbsDifference(simulated, ort.optimizedLogits) / scale)
        print("export \(label): max |Δlogit|/max|logit| \(measured.maxDifference), mean \(measured.meanDifference), "
              + "top-1 agreement \(measured.agreement); ORT optimised: max \(measured.optimizedMaxDifference), "
              + "agreement \(measured.optimizedAgreement)")
        XCTAssertLessThanOrEqual(measured.meanDifference, Self.meanTolerance, label)
        XCTAssertLessThanOrEqual(measured.maxDifference, Self.maxTolerance, label)
        XCTAssertGreaterThanOrEqual(measured.agreement, Self.argmaxAgreement, label)
        // ORT's own QDQ fusions (integer kernels, requantisation) are not ours to
        // match exactly; measured ≤ 0.7% of the largest logit, top-1 all equal.
        XCTAssertLessThanOrEqual(measured.optimizedMaxDifference, 0.05, label)
        XCTAssertGreaterThanOrEqual(measured.optimizedAgreement, 0.98, label)
        return measured
    }

    /// Quantizes a fixture at W4A4 on 64 calibration images, checks the model
    /// with `inspect`, exports it and compares with ORT on `count` images.
    @discardableResult
    private func exportW4A4(_ fixture: String, seeds: (calibration: UInt64, images: UInt64), count: Int = 500,
                            inspect: (QuantizedModel) -> Void = { _ in }) throws -> Measured {
        let graph = try ExportSupport.fixture(fixture + ".onnx")
        let model = try ExportSupport.quantize(graph, calibration: ExportSupport.images(64, for: graph, seed: seeds.calibration),
                                               configuration: QuantizationConfiguration(weightBits: 4, activationBits: 4))
        inspect(model)
        return try exportAndCompare(graph, model: model, images: ExportSupport.images(count, for: graph, seed: seeds.images),
                                    label: fixture + " W4A4")
    }

    func testTinyResNetW4A4MatchesOnnxRuntime() throws {
        try exportW4A4("tiny_resnet", seeds: (1, 2)) { model in
            XCTAssertTrue(model.layers.contains { $0.rounding == .adaround })
            XCTAssertTrue(model.activations.allSatisfy(\.isActive))
        }
    }

    func testTinyMobileNetW4A4MatchesOnnxRuntime() throws { try exportW4A4("tiny_mobilenet", seeds: (3, 4)) }

    /// Activations that can be negative (LeakyReLU, HardSwish, Tanh) get asymmetric
    /// quantizers; the exported graph carries their ONNX operators and attributes.
    func testTinyActivationsW4A4MatchesOnnxRuntime() throws {
        try exportW4A4("tiny_activations", seeds: (8, 9)) { XCTAssertTrue($0.activations.allSatisfy(\.isActive)) }
    }

    func testTinyBranchesW4A4MatchesOnnxRuntime() throws { try exportW4A4("tiny_branches", seeds: (10, 11)) }

    /// Sub and Div by constants export as the Add and Mul they are imported as.
    func testTinyNormaliseW4A4MatchesOnnxRuntime() throws { try exportW4A4("tiny_normalise", seeds: (12, 13)) }

    /// Pads folded into Convs export as the Convs' own (asymmetric) pads.
    func testTinyPadW4A4MatchesOnnxRuntime() throws { try exportW4A4("tiny_pad", seeds: (14, 15)) }

    func testAFinalSoftmaxIsRestoredOnExport() throws {
        let measured = try exportW4A4("softmax_output", seeds: (12, 13), count: 300)
        XCTAssertGreaterThanOrEqual(measured.agreement, 0.99)
    }

    /// Different weight and activation bits per layer, 2 to 8, including a
    /// 3-bit and a 6-bit activation (Clip before QuantizeLinear) and 2-bit weights.
    func testMixedPrecisionMatchesOnnxRuntime() throws {
        for fixture in ["tiny_resnet.onnx", "tiny_mobilenet.onnx"] {
            let graph = try ExportSupport.fixture(fixture)
            let layers = graph.nodes.filter(\.operation.isParametric).map(\.name)
            var configuration = QuantizationConfiguration(weightBits: 4, activationBits: 4)
            let weightChoices = [2, 3, 8, 6, 4, 5]
            let activationChoices = [3, 8, 2, 6, 5, 4]
            for (k, layer) in layers.enumerated() where k > 0 && k < layers.count - 1 {
                configuration.layerWeightBits[layer] = weightChoices[k % weightChoices.count]
                configuration.layerActivationBits[layer] = activationChoices[k % activationChoices.count]
            }
            let model = try ExportSupport.quantize(graph, calibration: ExportSupport.images(64, for: graph, seed: 5),
                                                   configuration: configuration)
            XCTAssertGreaterThanOrEqual(Set(model.layers.map(\.bits)).count, 4, fixture)
            XCTAssertGreaterThanOrEqual(Set(model.activations.map(\.bits)).count, 3, fixture)
            _ = try exportAndCompare(graph, model: model, images: ExportSupport.images(500, for: graph, seed: 6),
                                     label: "\(fixture) mixed")
        }
    }

    /// Weights only (A32): no QuantizeLinear at all, and the dequantized
    /// weights are bit-identical, so ORT agrees to float summation order.
    func testWeightsOnlyHasNoActivationQuantizers() throws {
        let graph = try ExportSupport.fixture("tiny_resnet.onnx")
        let model = try ExportSupport.quantize(graph, calibration: ExportSupport.images(32, for: graph, seed: 7),
                                               configuration: QuantizationConfiguration(weightBits: 3), iterations: 10)
        let m = try exportAndCompare(graph, model: model, images: ExportSupport.images(200, for: graph, seed: 8), label: "tiny_resnet W3A32")
        XCTAssertLessThanOrEqual(m.maxDifference, 1e-4)
        XCTAssertEqual(m.agreement, 1)
    }

    // MARK: Example models on the full Fashion-MNIST test split

    /// The exported model's top-1 on the 10 000 test images equals the engine's
    /// simulated top-1 within 0.1 point, W4A4 and mixed precision, with short
    /// reconstructions (the result need not be good, only exported faithfully).
    private func assertExampleTop1(_ example: String) throws {
        let path = ExportSupport.repositoryRoot.appendingPathComponent("Examples/\(example)/model.onnx").path
        let source: DatasetSource
        // Debian's dataset-fashion-mnist, which `make test` installs; a bare `swift test` on a machine
        // without it skips instead of failing, as the ONNX Runtime checks do without onnxruntime.
        do { source = try DatasetSource(argument: "fashion-mnist") } catch { throw XCTSkip("\(error)") }
        let config = try ModelConfig.load(path: ModelConfig.path(forModel: path))
        let graph = try Graph.importONNX(path: path, options: ONNXImportOptions(inputSampleShape: config.inputShape))
        let calibration = try source.calibration(count: 128, config: config)
        let test = try source.load(.test, config: config, limit: nil)
        let layers = graph.nodes.filter(\.operation.isParametric).map(\.name)
        var mixed = QuantizationConfiguration(weightBits: 4, activationBits: 4)
        for (k, layer) in layers.enumerated() where k > 0 && k < layers.count - 1 {
            mixed.layerWeightBits[layer] = [2, 4, 8][k % 3]
            mixed.layerActivationBits[layer] = [4, 8, 6][k % 3]
        }
        for (label, configuration) in [("W4A4", QuantizationConfiguration(weightBits: 4, activationBits: 4)), ("mixed", mixed)] {
            let model = try ExportSupport.quantize(graph, calibration: calibration.images, configuration: configuration, iterations: 20)
            let simulated = ExportSupport.simulatedLogits(graph, model: model, images: test.images)
            let directory = try temporaryDirectory(example + label)
            defer { try? FileManager.default.removeItem(at: directory) }
            let modelPath = directory.appendingPathComponent("model.onnx").path
            let encodingsPath = QDQExporter.encodingsPath(forModel: modelPath)
            try QDQExporter(graph: graph, model: model).write(modelPath: modelPath, encodingsPath: encodingsPath)
            let ort = try ExportSupport.runONNXRuntime(model: modelPath, encodings: encodingsPath, images: test.images, in: directory)
            func top1(_ logits: Tensor) -> Double {
                let hits = zip(ExportSupport.argmax(logits), test.labels).filter { $0 == $1 }.count
                return 100 * Double(hits) / Double(test.labels.count)
            }
            let ours = top1(simulated), theirs = top1(ort.logits), optimized = top1(ort.optimizedLogits)
            print("export \(example) \(label): simulated top-1 \(ours)%, ORT \(theirs)%, ORT optimised \(optimized)%, "
                  + "max |Δlogit| \(ExportSupport.maxAbsDifference(simulated, ort.logits))")
            XCTAssertEqual(theirs, ours, accuracy: 0.1, "\(example) \(label)")
        }
    }

    func testResNet20ExportTop1MatchesSimulated() throws { try assertExampleTop1("fashion-resnet20") }
    func testMobileNetV2ExportTop1MatchesSimulated() throws { try assertExampleTop1("fashion-mobilenetv2") }
}
