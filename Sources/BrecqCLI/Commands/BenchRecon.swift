import ArgumentParser
import Engine
import Foundation
import Network
import Quantization
import Tensor

/// `brecq bench recon`: reconstruction iterations per second (weights phase,
/// W4, batch 32) for the first block of stage 1 and of stage 3 of the ResNet
/// example — the two shapes that bound a run's speed (largest activations;
/// most weights). With `--unit NAME`, any unit of any model instead (names as
/// `brecq inspect` prints them, input shape from the model's config.json).
struct BenchRecon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon",
        abstract: "Reconstruction iterations per second for the first stage-1 and stage-3 blocks, or one --unit (W4, batch 32)."
    )

    @Option(name: .long, help: "ONNX model (a ResNet with three stages).")
    var model = "Examples/fashion-resnet20/model.onnx"

    @Flag(name: .long, help: "Use a ResNet-20-shaped network built in code (random weights) instead of --model.")
    var synthetic = false

    @Option(name: .long, help: "Time only this unit (a name `brecq inspect` prints) of --model.")
    var unit: String?

    @Option(name: .long, help: "Granularity --unit names a unit of: layer, block, stage or net.")
    var granularity: Granularity = .block

    @Option(name: .long, parsing: .unconditional, help: "Samples per reconstruction iteration, 1–4096.")
    var batchSize = 32

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .long, parsing: .unconditional, help: "Timed iterations per block, 1–1000000 (after --warmup ones).")
    var iterations = 200

    @Option(name: .long, parsing: .unconditional, help: "Untimed iterations before the timed ones, 0–1000.")
    var warmup = 10

    @Option(name: .long, parsing: .unconditional,
            help: "Also take the rounding statistics (flips, h(α) histogram) every N iterations, as a run's rounding events do; 0: never.")
    var roundingInterval = 0

    @OptionGroup var kernels: KernelChoiceFlags

    func validate() throws {
        try FlagRange.check(iterations, "--iterations", 1...1_000_000)
        try FlagRange.check(roundingInterval, "--rounding-interval", 0...1_000_000)
        try FlagRange.check(batchSize, "--batch-size", 1...4096)
        try FlagRange.check(warmup, "--warmup", 0...1000)
        if unit != nil && synthetic { throw ValidationError("--unit needs --model, not --synthetic") }
        if !synthetic && !FileManager.default.fileExists(atPath: model) {
            throw ValidationError("no model at \(model); pass --model PATH or --synthetic")
        }
    }

    func run() throws {
        if let problem = BLAS.loadError { throw ValidationError(problem) }
        try kernels.apply()
        let graph: Graph
        do {
            graph = synthetic ? SyntheticResNet.graph() : try LoadedModel.importGraph(path: model)
        } catch { throw CommandFailure(ErrorText.oneLine(error)) }
        let timed = try unitsToTime(graph)
        // Speed does not depend on pixel values, so random images of the model's input shape serve as calibration
        // data: 256 as before for the whole-model default, two batches for one unit (224×224 streams are large).
        var random = Xoshiro256StarStar(seed: 1)
        let samples = unit == nil ? 256 : 2 * batchSize
        var pixels = [Float](repeating: 0, count: samples * graph.inputSampleShape.reduce(1, *))
        random.fillUniform(&pixels)
        let calibration = Tensor(shape: [samples] + graph.inputSampleShape, data: pixels)
        let session = QuantizationSession(graph: graph, calibration: calibration,
                                          configuration: QuantizationConfiguration(weightBits: 4, activationBits: 32))
        var results: [(name: String, block: String, itersPerSecond: Double, msPerIter: Double)] = []
        for (label, unit) in timed {
            var h = Hyperparameters()
            h.batchSize = batchSize
            let reconstructor = try session.makeReconstructor(unit: unit, phase: .weights, hyperparameters: h,
                                                              iterations: iterations + warmup, random: random.split())
            for _ in 0..<warmup { _ = reconstructor.step() }
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 1...iterations {
                _ = reconstructor.step()
                if roundingInterval > 0, i % roundingInterval == 0 { _ = reconstructor.roundingStatistics() }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            results.append((label, unit.name, Double(iterations) / seconds, 1000 * seconds / Double(iterations)))
            reconstructor.skip()
        }
        if json {
            var object: [String: Any] = ["model": synthetic ? "synthetic-resnet20" : model, "batch": batchSize, "wbits": 4,
                                         "iterations": iterations, "blas_threads": BLAS.threads,
                                         "conv_kernels": ConvInstructionSet.active.name, "workers": Workers.count]
            for r in results {
                object[r.name] = ["block": r.block, "iters_per_s": (r.itersPerSecond * 100).rounded() / 100,
                                  "ms_per_iter": (r.msPerIter * 1000).rounded() / 1000]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("reconstruction, weights phase, W4, batch \(batchSize) (\(synthetic ? "synthetic ResNet-20" : model), \(BLAS.threads) BLAS threads, \(ConvInstructionSet.active.name) kernels, \(Workers.count) workers)")
            for r in results {
                print(String(format: "  %-14@ %-16@ %8.1f it/s  %7.2f ms/it", r.name as NSString, r.block as NSString,
                             r.itersPerSecond, r.msPerIter))
            }
        }
    }

    /// The units to time, each with the key it has in the output: `--unit`'s
    /// one (key "unit"), or the first block of stage 1 and of stage 3.
    private func unitsToTime(_ graph: Graph) throws -> [(label: String, unit: ReconstructionUnit)] {
        if let name = unit {
            let units = graph.units(for: granularity)
            guard let found = units.first(where: { $0.name == name }) else {
                throw CommandFailure("no unit '\(name)' in \(model); units: \(units.map(\.name).joined(separator: ", "))")
            }
            return [("unit", found)]
        }
        let stages = graph.stages()
        guard stages.count >= 3 else { throw ValidationError("the model has \(stages.count) stage(s); the benchmark needs 3") }
        return [("stage1_block1", stages[0][0]), ("stage3_block1", stages[2][0])]
    }
}

/// ResNet-20's shapes on 28×28×1 (three stages of 16, 32, 64 channels), one
/// block per stage, random weights: enough to time a block when the trained
/// example is not at hand.
enum SyntheticResNet {
    static func graph() -> Graph {
        var random = Xoshiro256StarStar(seed: 7)
        func conv(_ cout: Int, _ cin: Int, _ k: Int, stride: Int = 1) -> Network.Operation {
            var w = [Float](repeating: 0, count: cout * cin * k * k)
            random.fillNormal(&w, standardDeviation: (2 / Float(cin * k * k)).squareRoot())
            let pad = k / 2
            return .convolution(ConvolutionParameters(weight: Tensor(shape: [cout, cin, k, k], data: w),
                                                      bias: Tensor(zeros: [cout]), strideHeight: stride, strideWidth: stride,
                                                      padding: Padding2D(top: pad, left: pad, bottom: pad, right: pad)))
        }
        var nodes: [Node] = [Node(name: "stem", operation: conv(16, 1, 3), inputs: ["image"], output: "stem_out"),
                             Node(name: "stem_relu", operation: .relu, inputs: ["stem_out"], output: "x0")]
        var channels = 16
        for (s, width) in [16, 32, 64].enumerated() {
            let stride = s == 0 ? 1 : 2
            let p = "s\(s + 1)b1_", x = "x\(s)"
            nodes += [Node(name: p + "conv1", operation: conv(width, channels, 3, stride: stride), inputs: [x], output: p + "c1"),
                      Node(name: p + "relu1", operation: .relu, inputs: [p + "c1"], output: p + "r1"),
                      Node(name: p + "conv2", operation: conv(width, width, 3), inputs: [p + "r1"], output: p + "c2")]
            var shortcut = x
            if stride != 1 || width != channels {
                nodes.append(Node(name: p + "shortcut", operation: conv(width, channels, 1, stride: stride), inputs: [x], output: p + "sc"))
                shortcut = p + "sc"
            }
            nodes += [Node(name: p + "add", operation: .add, inputs: [p + "c2", shortcut], output: p + "a"),
                      Node(name: p + "relu2", operation: .relu, inputs: [p + "a"], output: "x\(s + 1)")]
            channels = width
        }
        var fc = [Float](repeating: 0, count: 640)
        random.fillNormal(&fc, standardDeviation: 0.1)
        nodes += [Node(name: "pool", operation: .globalAveragePool, inputs: ["x3"], output: "pooled"),
                  Node(name: "flatten", operation: .flatten, inputs: ["pooled"], output: "features"),
                  Node(name: "fc", operation: .linear(LinearParameters(weight: Tensor(shape: [10, 64], data: fc), bias: Tensor(zeros: [10]))),
                       inputs: ["features"], output: "logits")]
        return try! Graph(inputs: [("image", [1, 28, 28])], outputs: ["logits"], nodes: nodes)
    }
}
