import ArgumentParser
import Engine
import Foundation
import Network
import Quantization
import Tensor

extension RunConfiguration.Method: ExpressibleByArgument {}
extension Granularity: ExpressibleByArgument {}
extension Hyperparameters.Loss: ExpressibleByArgument {}
extension CachePrecision: ExpressibleByArgument {}

/// The flags a quantization run shares between `brecq quantize` and the dashboard.
///
/// Settings are optional so that a flag the user gave can be told from one left
/// out: a fresh run fills the left-out ones with `RunConfiguration`'s defaults, a
/// resumed run with the checkpoint's values, and a given flag that disagrees with
/// the checkpoint is refused by name.
struct RunOptions: ParsableArguments {
    @Option(help: "ONNX model; a config.json beside it gives input shape and normalisation (default: the bundled ResNet example).")
    var model: String?

    @Option(help: "`fashion-mnist` (Debian's dataset-fashion-mnist, the default), a directory of IDX or NPY files, or an image folder (train/<class>/*, val/<class>/* or train.txt, val.txt).")
    var data: String?

    @Flag(help: "Image folders: leave out files that cannot be decoded (counted once) instead of stopping at the first.")
    var skipBadImages = false

    @Option(help: "rtn | adaround (layer-wise) | brecq (block-wise, the default) | qdrop (block-wise, QDrop 0.5, joint).")
    var method: RunConfiguration.Method?

    @Option(parsing: .unconditional, help: "Weight bits of every layer but the 8-bit stem and classifier (2–8; default 4).")
    var wbits: Int?

    @Option(parsing: .unconditional, help: "Activation bits (2–8); 32 or omitted: weights only.")
    var abits: Int?

    @Option(help: "Reconstruction unit: layer | block | stage | net (default from --method).")
    var granularity: Granularity?

    @Option(parsing: .unconditional, help: "Iterations per unit (weights, or joint with QDrop), 1–1000000 (default 20000).")
    var iters: Int?

    @Option(name: .customLong("act-iters"), parsing: .unconditional,
            help: "Iterations per unit for learning activation steps, 0–1000000 (0: keep the calibrated steps; default 5000).")
    var actIters: Int?

    @Option(name: .customLong("analysis-images"), parsing: .unconditional,
            help: "Test images the per-layer error analysis runs on after each unit (0: off; default 64). See docs/analysis.md.")
    var analysisImages: Int?

    @Option(name: .customLong("calib-size"), parsing: .unconditional, help: "Calibration images: the first N of the train split (1–1000000; default 1024).")
    var calibSize: Int?

    @Option(name: .customLong("rounding-interval"), parsing: .unconditional,
            help: "Iterations between rounding events (AdaRound flips and the h(α) histogram per layer; 1–1000000; default 200).")
    var roundingInterval: Int?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Calibration examples per iteration (1–4096, at most --calib-size; default 32).")
    var batchSize: Int?

    @Option(help: "Reconstruction loss: mse (the default) | fisher (outputs weighted by the diagonal Fisher of the KL to the FP model).")
    var loss: Hyperparameters.Loss?

    @Option(parsing: .unconditional, help: "QDrop probability of bypassing an activation quantizer, 0–1 (0 = off; default 0.5 with --method qdrop).")
    var qdrop: Double?

    @Option(name: .customLong("round-weight"), parsing: .unconditional,
            help: "λ of the rounding regulariser, 0–1000 (default 0.01, 0.1 for nets with depthwise convs).")
    var roundWeight: Double?

    @Option(parsing: .unconditional, help: "Adam learning rate of AdaRound's α (greater than 0, less than 1; default 0.001).")
    var lr: Double?

    @Option(parsing: .unconditional, help: "Seed of every random choice (0–18446744073709551615; default 0); the same seed gives the same result.")
    var seed: UInt64?

    @Option(name: .customLong("eval-images"), parsing: .unconditional, help: "Test images for the FP and quantized evaluations (1–10000000; default 10000).")
    var evalImages: Int?

    @Option(name: .customLong("cache-precision"),
            help: "How the calibration set's activations are kept: fp16 (half the memory) | fp32 | auto (the default: fp16 when one buffer of them would pass 512 MiB in fp32).")
    var cachePrecision: CachePrecision?

    @Option(name: .customLong("bits-config"), help: "Per-layer bits from a JSON file {\"layers\": {name: {\"wbits\", \"abits\"}}} (e.g. from brecq search).")
    var bitsConfig: String?

    static let defaultData = "fashion-mnist"

    /// The model the run reads: the user's --model, else the bundled example.
    var modelPath: String { model ?? ExampleModel.defaultPath }
    var dataArgument: String { data ?? Self.defaultData }

    /// Ranges first, so that every numeric flag is refused with the same kind of line before any file is read.
    func validate() throws {
        if let wbits { try FlagRange.check(wbits, "--wbits", BitWidth.range) }
        if let abits, let problem = BitWidth.problem(abits, for: .activations) { throw ValidationError("--abits \(problem)") }
        if let iters { try FlagRange.check(iters, "--iters", FlagLimits.iterations) }
        if let actIters { try FlagRange.check(actIters, "--act-iters", FlagLimits.activationIterations) }
        if let calibSize { try FlagRange.check(calibSize, "--calib-size", FlagLimits.calibrationSize) }
        if let roundingInterval { try FlagRange.check(roundingInterval, "--rounding-interval", RunConfiguration.iterationRange) }
        if let batchSize { try FlagRange.check(batchSize, "--batch-size", FlagLimits.batchSize) }
        if let evalImages { try FlagRange.check(evalImages, "--eval-images", FlagLimits.evaluationImages) }
        if let analysisImages { try FlagRange.check(analysisImages, "--analysis-images", 0...FlagLimits.evaluationImages.upperBound) }
        if let qdrop { try FlagRange.check(qdrop, "--qdrop", FlagLimits.probability) }
        if let roundWeight { try FlagRange.check(roundWeight, "--round-weight", FlagLimits.roundWeight) }
        if let lr { try FlagRange.check(lr, "--lr", above: 0, below: 1) }
        try InputPath.checkModel(modelPath)
        try InputPath.checkData(dataArgument)
    }

    /// The run the flags describe. Resuming (`saved` given), the settings are the
    /// checkpoint's and the paths the user's; a given flag must agree with the checkpoint.
    func configuration(resuming saved: RunConfiguration? = nil) throws -> RunConfiguration {
        var c: RunConfiguration
        if let saved {
            c = saved
            c.modelPath = modelPath
            c.data = dataArgument
            // Compared only: applying a method would reset the granularity the run had.
            if let method { c.method = method }
        } else {
            c = RunConfiguration(modelPath: modelPath, data: dataArgument)
            c.apply(method: method ?? c.method)
        }
        if skipBadImages { c.skipBadImages = true }
        if let granularity { c.granularity = granularity }
        if let wbits { c.wbits = wbits }
        if let abits { c.abits = abits }
        if let iters { c.iterations = iters }
        if let actIters { c.activationIterations = actIters }
        if let calibSize { c.calibrationSize = calibSize }
        if let roundingInterval { c.roundingInterval = roundingInterval }
        if let evalImages { c.evaluationImages = evalImages }
        if let analysisImages { c.analysisImages = analysisImages }
        if let seed { c.seed = seed }
        if let cachePrecision { c.cachePrecision = cachePrecision }
        if let batchSize { c.hyperparameters.batchSize = batchSize }
        if let loss { c.hyperparameters.loss = loss }
        if let lr { c.hyperparameters.learningRate = lr }
        if let qdrop { c.hyperparameters.qdrop = qdrop }
        if let roundWeight {
            c.hyperparameters.roundWeight = roundWeight
            c.automaticRoundWeight = false
        }
        try applyBitsConfig(to: &c, resuming: saved)
        if let saved, let difference = c.settingDifference(from: saved, includingSteerable: true) {
            throw ValidationError(difference)
        }
        if let e = c.validationError() { throw ValidationError(e) }
        guard FileManager.default.fileExists(atPath: c.modelPath) else { throw ValidationError("--model \(c.modelPath): no such file") }
        return c
    }
}

extension RunOptions {
    /// `--bits-config`: per-layer bits for a fresh run; resuming, each must be what
    /// the checkpoint has (the bits may have been steered since, and the checkpoint's win).
    private func applyBitsConfig(to c: inout RunConfiguration, resuming saved: RunConfiguration?) throws {
        guard let bitsConfig else { return }
        let layers: [String: LayerBits]
        do { layers = try BitsConfiguration.load(path: bitsConfig).layers } catch { throw ValidationError("--bits-config \(error)") }
        for (layer, bits) in layers.sorted(by: { $0.key < $1.key }) {
            guard let saved else {
                c.layerBits[layer] = bits
                continue
            }
            let theirs = saved.layerBits[layer]
            if theirs?.wbits != bits.wbits || theirs?.abits != bits.abits {
                let had = theirs.map { "W\($0.wbits)A\($0.abits)" } ?? "no per-layer bits for it"
                throw ValidationError("--bits-config \(bitsConfig) gives \(layer) W\(bits.wbits)A\(bits.abits), but the checkpoint has \(had)")
            }
        }
    }
}

/// The bundled ResNet example, found from the working directory or from the executable.
enum ExampleModel {
    static let relativePath = "Examples/fashion-resnet20/model.onnx"

    static var defaultPath: String { packageFile(relativePath) ?? relativePath }

    /// A file of the package (a path relative to its root), from the working
    /// directory or from the executable's place in `.build/<config>/`; nil when neither has it.
    static func packageFile(_ relativePath: String) -> String? {
        if FileManager.default.fileExists(atPath: relativePath) { return relativePath }
        // .build/<config>/brecq → the package root is two levels up. The running
        // executable's own path first: argv[0] is only a name when found on PATH.
        let executables = [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap { $0 }
        for executable in executables {
            var root = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<3 {
                root = root.deletingLastPathComponent()
                let candidate = root.appendingPathComponent(relativePath).path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}
