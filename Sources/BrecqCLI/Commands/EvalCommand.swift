import ArgumentParser
import Foundation
import Network

/// `brecq eval`: full-precision accuracy of a model on the test split.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Top-1 and top-5 accuracy of the FP model on the test split."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Images per forward pass (1–4096).")
    var batchSize: Int = 256

    @Option(name: .long, parsing: .unconditional, help: "Evaluate only the first N test images (1–10000000).")
    var limit: Int?

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        try FlagRange.check(batchSize, "--batch-size", FlagLimits.batchSize)
        if let limit { try FlagRange.check(limit, "--limit", FlagLimits.evaluationImages) }
        try InputPath.checkModel(modelOptions.model)
        try InputPath.checkData(modelOptions.data)
    }

    func run() throws {
        let model = try modelOptions.loadModel()
        let source = try modelOptions.dataSource()
        let images: EvaluationSet
        do { images = try source.evaluationSet(config: model.config, limit: limit) } catch { throw CommandFailure("\(error)") }
        images.reportSkipped()
        let start = Date()
        let executor = GraphExecutor(graph: model.graph)
        let hits: EvaluationResult.Hits
        do { hits = try executor.evaluate(images, batchSize: batchSize) } catch { throw CommandFailure("\(error)") }
        let result = EvaluationResult(model: .fp, hits: hits)
        let seconds = Date().timeIntervalSince(start)
        if json {
            let object: [String: Any] = ["model": model.path, "data": source.directory, "count": hits.images,
                                         "top1": result.top1, "top5": result.top5,
                                         "correct_top1": hits.top1, "correct_top5": hits.top5,
                                         "seconds": (seconds * 1000).rounded() / 1000]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            Console.print(String(decoding: data, as: UTF8.self))
        } else {
            Console.print(String(format: "%@: top-1 %.2f%%  top-5 %.2f%%  on %d test images (%.1f s)",
                         model.path, result.top1, result.top5, hits.images, seconds))
        }
    }
}
