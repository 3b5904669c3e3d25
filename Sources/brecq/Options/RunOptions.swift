import ArgumentParser
import Engine
import Foundation
import Network
import Quantization

extension RunConfiguration.Method: ExpressibleByArgument {}
extension Granularity: ExpressibleByArgument {}
extension Hyperparameters.Loss: ExpressibleByArgument {}

/// The flags a quantization run shares between `brecq quantize` and the dashboard.
struct RunOptions: ParsableArguments {
    @Option(help: "ONNX model; a config.json beside it gives input shape and normalisation.")
    var model: String = ExampleModel.defaultPath

    @Option(help: "`fashion-mnist` (Debian's dataset-fashion-mnist) or a directory of IDX or NPY files.")
    var data: String = "fashion-mnist"

    @Option(help: "rtn | adaround (layer-wise) | brecq (block-wise) | qdrop (block-wise, QDrop 0.5, joint).")
    var method: RunConfiguration.Method = .brecq

    @Option(help: "Weight bits of every layer but the 8-bit stem and classifier (2–8).")
    var wbits: Int = 4

    @Option(help: "Activation bits (2–8); 32 or omitted: weights only.")
    var abits: Int = 32

    @Option(help: "Reconstruction unit: layer | block | stage | net (default from --method).")
    var granularity: Granularity?

    @Option(help: "Iterations per unit (weights, or joint with QDrop).")
    var iters: Int = 20_000

    @Option(name: .customLong("act-iters"), help: "Iterations per unit for learning activation steps (0: keep the calibrated steps).")
    var actIters: Int = 5_000

    @Option(name: .customLong("calib-size"), help: "Calibration images: the first N of the train split.")
    var calibSize: Int = 1024

    @Option(name: .customLong("batch-size"), help: "Calibration examples per iteration.")
    var batchSize: Int = 32

    @Option(help: "Reconstruction loss: mse | fisher (outputs weighted by the diagonal Fisher of the KL to the FP model).")
    var loss: Hyperparameters.Loss = .mse

    @Option(help: "QDrop probability of bypassing an activation quantizer (0 = off; default 0.5 with --method qdrop).")
    var qdrop: Double?

    @Option(name: .customLong("round-weight"), help: "λ of the rounding regulariser (default 0.01, 0.1 for nets with depthwise convs).")
    var roundWeight: Double?

    @Option(help: "Adam learning rate of AdaRound's α.")
    var lr: Double = 1e-3

    @Option(help: "Seed of every random choice; the same seed gives the same result.")
    var seed: UInt64 = 0

    @Option(name: .customLong("eval-images"), help: "Test images for the FP and quantized evaluations.")
    var evalImages: Int = 10_000

    @Option(name: .customLong("bits-config"), help: "Per-layer bits from a JSON file {\"layers\": {name: {\"wbits\", \"abits\"}}} (e.g. from brecq search).")
    var bitsConfig: String?

    func configuration() throws -> RunConfiguration {
        var c = RunConfiguration(modelPath: model, data: data)
        c.apply(method: method)
        if let granularity { c.granularity = granularity }
        c.wbits = wbits
        c.abits = abits
        c.iterations = iters
        c.activationIterations = actIters
        c.calibrationSize = calibSize
        c.evaluationImages = evalImages
        c.seed = seed
        c.hyperparameters.batchSize = batchSize
        c.hyperparameters.loss = loss
        c.hyperparameters.learningRate = lr
        if let qdrop { c.hyperparameters.qdrop = qdrop }
        if let roundWeight {
            c.hyperparameters.roundWeight = roundWeight
            c.automaticRoundWeight = false
        }
        if let bitsConfig {
            do {
                for (layer, bits) in try BitsConfiguration.load(path: bitsConfig).layers {
                    c.layerBits[layer] = RunConfiguration.LayerBits(wbits: bits.wbits, abits: bits.abits)
                }
            } catch { throw ValidationError("--bits-config \(error)") }
        }
        if let e = c.validationError() { throw ValidationError(e) }
        guard FileManager.default.fileExists(atPath: model) else { throw ValidationError("--model \(model): no such file") }
        return c
    }
}

/// The bundled ResNet example, found from the working directory or from the executable.
enum ExampleModel {
    static let relativePath = "Examples/fashion-resnet20/model.onnx"

    static var defaultPath: String {
        if FileManager.default.fileExists(atPath: relativePath) { return relativePath }
        // .build/<config>/brecq → the package root is two levels up.
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var root = executable.deletingLastPathComponent()
        for _ in 0..<3 {
            root = root.deletingLastPathComponent()
            let candidate = root.appendingPathComponent(relativePath).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return relativePath
    }
}
