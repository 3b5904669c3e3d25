import ArgumentParser
import Engine
import Foundation
import Network
import Quantization
import Tensor

/// `brecq analyze`: where a quantized model's error comes from, layer by layer.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Per-layer quantization error: accumulated (noise-to-signal, cosine, MSE), isolated (KL, top-1), grid statistics.",
        discussion: """
        Analyses a checkpoint (finished or partial) or round-to-nearest at --wbits/--abits on --images test images \
        drawn by --seed. Prints a table sorted worst-first; --json writes every figure and histogram. \
        Progress goes to stderr. See docs/analysis.md.
        """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Checkpoint directory of a `brecq quantize` run (finished or not) to analyse.")
    var checkpoint: String?

    @Option(parsing: .unconditional, help: "Without --checkpoint: round-to-nearest weight bits (2–8; default 4).")
    var wbits: Int?

    @Option(parsing: .unconditional, help: "Without --checkpoint: activation bits (2–8, or 32 for FP activations; default 32).")
    var abits: Int?

    @Option(parsing: .unconditional, help: "Evaluation images, drawn from the test split by --seed (1–10000000).")
    var images: Int = 1000

    @Option(parsing: .unconditional, help: "Seed choosing the evaluation images, 0–18446744073709551615.")
    var seed: UInt64 = 0

    @Option(name: .long, parsing: .unconditional, help: "Images per forward pass (1–4096).")
    var batchSize: Int = 100

    @Flag(help: "Leave out the isolated measurements (three passes per layer: most of the time).")
    var noIsolated = false

    @Option(help: "Write the whole report as JSON to this file.")
    var json: String?

    @Option(name: .customLong("export"), help: "Also write the analysed model as QDQ ONNX (and NAME.encodings.json beside it).")
    var exportPath: String?

    func validate() throws {
        if checkpoint != nil && (wbits != nil || abits != nil) {
            throw ValidationError("--checkpoint analyses the checkpointed bits; leave out --wbits/--abits")
        }
        if let wbits, let problem = BitWidth.problem(wbits, for: .weights) { throw ValidationError("--wbits \(problem)") }
        if let abits, let problem = BitWidth.problem(abits, for: .activations) { throw ValidationError("--abits \(problem)") }
        try FlagRange.check(images, "--images", FlagLimits.evaluationImages)
        try FlagRange.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try InputPath.checkModel(modelOptions.model)
        try InputPath.checkData(modelOptions.data)
        var outputs: [(String, String)] = []
        if let json { outputs.append(("--json", json)) }
        if let exportPath {
            outputs.append(("--export", exportPath))
            outputs.append(("--export (encodings beside it)", QDQExporter.encodingsPath(forModel: exportPath)))
        }
        for (flag, path) in outputs {
            try OutputTarget.check(path, flag: flag, .replacedFile)
            try OutputTarget.checkNotAnInput(path, flag: flag, inputs: [("--model", modelOptions.model), ("--checkpoint", checkpoint)])
        }
    }

    func run() throws {
        let loaded = try modelOptions.loadModel()
        let source = try modelOptions.dataSource()
        let graph = loaded.graph
        let (model, description) = try quantizedModel(loaded: loaded, source: source)
        let test: EvaluationSet
        do { test = try source.evaluationSet(config: loaded.config) } catch { throw CommandFailure("\(error)") }
        test.reportSkipped()
        guard test.count > 0 else { throw CommandFailure("\(source.directory): no test images") }
        let indices = AnalysisSettings.evaluationIndices(count: images, of: test.count, seed: seed)
        let evaluation: LabeledImages
        do {
            evaluation = LabeledImages(images: try test.images(at: indices), labels: indices.map { test.labels[$0] })
        } catch { throw CommandFailure("\(error)") }
        do {
            try ActivationBufferLimit.check(images: batchSize, of: graph, flag: "--batch-size", holding: "a batch's activations")
        } catch { throw CommandFailure("\(error)") }

        if let exportPath { Console.error(try ModelExport.write(graph: graph, model: model, output: exportPath, encodings: nil)) }
        let start = Date()
        var lastLine = Date.distantPast
        let settings = AnalysisSettings(batchSize: batchSize, measuresIsolated: !noIsolated)
        let report = QuantizationAnalysis.analyze(graph: graph, model: model, images: evaluation.images, labels: evaluation.labels,
                                                  settings: settings) { p in
            if Date().timeIntervalSince(lastLine) >= 2 || p.done == p.total {
                lastLine = Date()
                Console.error("analyze: \(p.done)/\(p.total) passes (\(Int(Date().timeIntervalSince(start)))s)")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        Console.print("\(description), \(report.images) test images (seed \(seed)), \(String(format: "%.1f", seconds)) s")
        Console.print(AnalysisTable(report: report).text)
        if let json {
            let file = AnalysisFile(model: modelOptions.model, data: source.directory, source: description, seed: seed,
                                    imageIndices: indices, seconds: (seconds * 1000).rounded() / 1000, report: report)
            do { try AtomicFile.write(try file.encoded(), to: json) } catch {
                throw CommandFailure(OutputTarget.failure(flag: "--json", path: json, error))
            }
            Console.error("wrote \(json)")
        }
    }

    /// The checkpoint's model (calibrating what a partial run has not yet), or round-to-nearest.
    private func quantizedModel(loaded: LoadedModel, source: DatasetSource) throws -> (QuantizedModel, String) {
        let calibrationCount = QuantizationConfiguration().activationCalibrationImages
        func calibrationImages() throws -> Tensor {
            do { return try source.calibration(count: calibrationCount, config: loaded.config).images } catch { throw CommandFailure("\(error)") }
        }
        if let checkpoint {
            let saved: QuantizedCheckpoint
            do { saved = try QuantizedCheckpoint.load(directory: checkpoint, modelPath: modelOptions.model, allowingPartial: true) } catch {
                throw CommandFailure("--checkpoint \(error)")
            }
            let c = saved.configuration
            var model = saved.model
            if model.activations.contains(where: { $0.isQuantized && $0.quantizer == nil }) {
                model = model.calibratingMissingActivations(graph: saved.graph, images: try calibrationImages(),
                                                            configuration: QuantizationConfiguration(weightBits: c.wbits, activationBits: c.abits))
            }
            return (model, "checkpoint \(checkpoint) (\(c.method.rawValue) W\(c.wbits)A\(c.abits), \(saved.unitsDone) of \(saved.unitCount) units done)")
        }
        let w = wbits ?? 4, a = abits ?? 32
        let configuration = QuantizationConfiguration(weightBits: w, activationBits: a)
        let model = QuantizedModel.initial(graph: loaded.graph, configuration: configuration)
            .calibratingMissingActivations(graph: loaded.graph, images: try calibrationImages(), configuration: configuration)
        return (model, "round-to-nearest W\(w)A\(a)")
    }
}

/// The JSON `brecq analyze --json` writes: the report and what it was made from.
struct AnalysisFile: Encodable {
    var model: String
    var data: String
    var source: String
    var seed: UInt64
    var imageIndices: [Int]
    var seconds: Double
    var report: AnalysisReport

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

/// The table `brecq analyze` prints: worst accumulated error first, with a bar.
struct AnalysisTable {
    var report: AnalysisReport
    var barWidth = 20

    var text: String {
        let rows = report.worstFirst
        let worst = rows.first?.accumulated.noiseToSignalDecibels ?? 0
        let nameWidth = min(max(rows.map(\.layer.count).max() ?? 5, 5), 32)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n)) : s + String(repeating: " ", count: n - s.count) }
        func num(_ x: Double?, _ format: String) -> String { x.map { String(format: format, $0) } ?? "-" }
        func right(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var lines = [pad("layer", nameWidth) + "   W/A   NSR dB  cosine       MSE   KL(W)   KL(A)  KL(WA) top1Δ% clipW% clipA%  noise (linear)"]
        for r in rows {
            let bar = Int((AccumulatedError.barFraction(noiseToSignalDecibels: r.accumulated.noiseToSignalDecibels, worstDB: worst)
                           * Double(barWidth)).rounded())
            let iso = r.isolated
            let cells = [
                right("\(r.weightBits)/\(r.activationBits == 32 ? "fp" : String(r.activationBits))", 5),
                right(num(r.accumulated.noiseToSignalDecibels, "%.2f"), 8), right(num(r.accumulated.cosine, "%.4f"), 7),
                right(num(r.accumulated.mse, "%.3g"), 9),
                right(num(iso?.weights.kl, "%.4f"), 7), right(num(iso?.activations?.kl, "%.4f"), 7), right(num(iso?.both.kl, "%.4f"), 7),
                right(num(iso.map { 100 * $0.both.top1Changed }, "%.1f"), 6),
                right(num(100 * r.weightStatistics.clippedFraction, "%.2f"), 6),
                right(num(r.activationStatistics.map { 100 * $0.clippedFraction }, "%.2f"), 6),
            ]
            lines.append(pad(r.layer, nameWidth) + " " + cells.joined(separator: " ") + "  " + String(repeating: "█", count: bar))
        }
        let accuracy = report.fpAccuracy.flatMap { fp in report.quantizedAccuracy.map { String(format: "top-1 %.2f%% (FP %.2f%%), ", 100 * $0, 100 * fp) } } ?? ""
        lines.append(String(format: "output: %@KL %.4f, top-1 changed on %.1f%% of images", accuracy, report.output.kl, 100 * report.output.top1Changed))
        return lines.joined(separator: "\n")
    }
}
