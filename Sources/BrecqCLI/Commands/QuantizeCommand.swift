import ArgumentParser
import Dispatch
import Engine
import Foundation
import Quantization

struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a model headless: progress on stderr, events as JSON Lines, a summary as JSON.")

    @OptionGroup var options: RunOptions

    @OptionGroup var session: SessionFlags

    @OptionGroup(title: "Watching from other terminals (brecq attach)") var serve: ServeFlags

    @Option(help: "Write fp_top1, quant_top1, per-unit losses, bits per layer and wall time as JSON.")
    var summary: String?

    @Option(name: .customLong("export"), help: "At the end, write the quantized model as QDQ ONNX (and NAME.encodings.json beside it).")
    var exportPath: String?

    @Flag(help: "Search per-layer weight bits first (as brecq search, with --budget), then reconstruct with them.")
    var mixed = false

    @OptionGroup(title: "Mixed precision (with --mixed)") var search: SearchOptions

    func validate() throws {
        let configuration = try options.configuration(resuming: session.savedSettings())
        if let summary { try OutputTarget.check(summary, flag: "--summary", .replacedFile) }
        if let exportPath {
            try OutputTarget.check(exportPath, flag: "--export", .replacedFile)
            try OutputTarget.check(QDQExporter.encodingsPath(forModel: exportPath), flag: "--export (encodings beside it)", .replacedFile)
        }
        try session.checkDefaultCheckpoint(for: configuration)
        let inputs: [(flag: String, path: String?)] = [("--model", options.modelPath), ("--bits-config", options.bitsConfig)]
        for (flag, path) in [("--summary", summary), ("--export", exportPath), ("--events", session.events)] {
            if let path { try OutputTarget.checkNotAnInput(path, flag: flag, inputs: inputs) }
        }
        if mixed {
            guard search.budget != nil else { throw ValidationError("--mixed needs --budget, e.g. --budget avgbits=3") }
            if options.bitsConfig != nil { throw ValidationError("--mixed searches the bits; it does not take --bits-config") }
            try search.check()
        } else if search.budget != nil {
            throw ValidationError("--budget applies to --mixed only")
        }
    }

    func run() throws {
        var configuration = try options.configuration(resuming: session.savedSettings())
        // A resumed run keeps the bits its checkpoint was made with.
        if mixed && session.resume == nil { try searchBits(into: &configuration) }
        let (runner, server) = session.makeRunner(configuration, serving: serve)
        defer { server?.close() }
        let interrupts = InterruptHandler { runner.send(.stop) }
        runner.start()
        let reporter = ProgressReporter()
        while runner.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
            for record in runner.drainEvents() { reporter.report(record) }
        }
        let outcome = runner.wait()
        for record in runner.drainEvents() { reporter.report(record) }
        interrupts.cancel()
        switch outcome {
        case .finished(let result):
            if let summary {
                do { try result.write(to: summary) } catch { throw CommandFailure(OutputTarget.failure(flag: "--summary", path: summary, error)) }
            }
            if let exportPath, let directory = runner.checkpointDirectory {
                let finished: QuantizedCheckpoint
                do { finished = try QuantizedCheckpoint.load(directory: directory, modelPath: configuration.modelPath) } catch {
                    throw CommandFailure("--export: cannot read the finished run from \(directory): \(ErrorText.oneLine(error))")
                }
                let written = try ModelExport.write(graph: finished.graph, model: finished.model, output: exportPath, encodings: nil)
                Console.error(written)
            }
        case .stopped(let dir):
            let resumeHint = dir.map {
                "; " + ResumeHint.advice("quantize", configuration: configuration, checkpoint: $0,
                                         outputs: [("--events", session.events), ("--summary", summary), ("--export", exportPath)])
            } ?? ""
            Console.error("stopped\(resumeHint)")
            throw ExitCode(130)
        case .failed(let message):
            throw CommandFailure(message)
        }
    }
}

extension Quantize {
    /// `--mixed`: the search of `brecq search` on the run's model, data, activation bits and seed.
    private func searchBits(into configuration: inout RunConfiguration) throws {
        let planner = try MixedPrecisionPlanner(modelPath: configuration.modelPath, data: configuration.data,
                                                skipBadImages: configuration.skipBadImages ?? false,
                                                activationBits: configuration.abits, options: search)
        for (layer, bits) in try planner.plan(.genetic, seed: configuration.seed, options: search).layers {
            configuration.layerBits[layer] = bits
        }
    }
}
