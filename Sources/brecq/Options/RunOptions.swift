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

    @Option(parsing: .unconditional, help: "Weight bits of every layer but the 8-bit stem and classifier (2–8).")
    var wbits: Int = 4

    @Option(parsing: .unconditional, help: "Activation bits (2–8); 32 or omitted: weights only.")
    var abits: Int = 32

    @Option(help: "Reconstruction unit: layer | block | stage | net (default from --method).")
    var granularity: Granularity?

    @Option(parsing: .unconditional, help: "Iterations per unit (weights, or joint with QDrop), 1–1000000.")
    var iters: Int = 20_000

    @Option(name: .customLong("act-iters"), parsing: .unconditional,
            help: "Iterations per unit for learning activation steps, 0–1000000 (0: keep the calibrated steps).")
    var actIters: Int = 5_000

    @Option(name: .customLong("calib-size"), parsing: .unconditional, help: "Calibration images: the first N of the train split (1–1000000).")
    var calibSize: Int = 1024

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Calibration examples per iteration (1–4096, at most --calib-size).")
    var batchSize: Int = 32

    @Option(help: "Reconstruction loss: mse | fisher (outputs weighted by the diagonal Fisher of the KL to the FP model).")
    var loss: Hyperparameters.Loss = .mse

    @Option(parsing: .unconditional, help: "QDrop probability of bypassing an activation quantizer, 0–1 (0 = off; default 0.5 with --method qdrop).")
    var qdrop: Double?

    @Option(name: .customLong("round-weight"), parsing: .unconditional,
            help: "λ of the rounding regulariser, 0–1000 (default 0.01, 0.1 for nets with depthwise convs).")
    var roundWeight: Double?

    @Option(parsing: .unconditional, help: "Adam learning rate of AdaRound's α (greater than 0, less than 1).")
    var lr: Double = 1e-3

    @Option(parsing: .unconditional, help: "Seed of every random choice (0–18446744073709551615); the same seed gives the same result.")
    var seed: UInt64 = 0

    @Option(name: .customLong("eval-images"), parsing: .unconditional, help: "Test images for the FP and quantized evaluations (1–10000000).")
    var evalImages: Int = 10_000

    @Option(name: .customLong("bits-config"), help: "Per-layer bits from a JSON file {\"layers\": {name: {\"wbits\", \"abits\"}}} (e.g. from brecq search).")
    var bitsConfig: String?

    /// Ranges first, so that every numeric flag is refused with the same kind of line before any file is read.
    func validate() throws {
        try FlagRange.check(wbits, "--wbits", 2...8)
        guard (2...8).contains(abits) || abits == 32 else { throw ValidationError("--abits must be in 2…8, or 32 for floating point, got \(abits)") }
        try FlagRange.check(iters, "--iters", FlagLimits.iterations)
        try FlagRange.check(actIters, "--act-iters", FlagLimits.activationIterations)
        try FlagRange.check(calibSize, "--calib-size", FlagLimits.calibrationSize)
        try FlagRange.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try FlagRange.check(evalImages, "--eval-images", FlagLimits.evaluationImages)
        if let qdrop { try FlagRange.check(qdrop, "--qdrop", FlagLimits.probability) }
        if let roundWeight { try FlagRange.check(roundWeight, "--round-weight", FlagLimits.roundWeight) }
        try FlagRange.check(lr, "--lr", above: 0, below: 1)
        try InputPath.checkModel(model)
        try InputPath.checkData(data)
    }

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
