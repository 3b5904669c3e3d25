import Foundation

/// A model ready to run on images: its file, its `config.json` and its graph.
///
/// Every command and the engine load models through here, so a model is
/// imported the same way (with the config's input shape, which pins any
/// dynamic dimensions) wherever it is run.
public struct LoadedModel: Sendable {
    public let path: String
    public let config: ModelConfig
    public let graph: Graph
    /// Set when there was no `config.json`: what was assumed instead, for the user to see.
    public let assumption: String?

    /// Loads `path` and the `config.json` beside it. Without one, the input
    /// shape and class count come from the model itself and pixels are only
    /// scaled to [0, 1] (no mean/std), which `assumption` says.
    public static func load(path: String) throws -> LoadedModel {
        try load(path: path, modelData: try Graph.readONNXFile(path: path))
    }

    /// The same with the model file's bytes already read by `Graph.readONNXFile`
    /// (a caller that digests them reads the file once, and the digest is of the
    /// bytes imported); the `config.json` beside `path` is read here.
    public static func load(path: String, modelData: Data) throws -> LoadedModel {
        let (written, graph) = try configAndGraph(path: path, modelData: modelData)
        return try completed(path: path, config: written, graph: graph)
    }

    /// The same from bytes (a fuzzer, a model received over a socket): the
    /// ONNX protobuf and, when there is one, the `config.json` text. `path`
    /// names the model in messages. Throws `ONNXImportError` or `DatasetError`.
    public static func load(modelData: Data, configData: Data?, path: String = "<memory>") throws -> LoadedModel {
        let configPath = ModelConfig.path(forModel: path)
        let config = try configData.map { data throws(DatasetError) in try ModelConfig.decode(data: data, path: configPath) }
        let graph = try Graph.importONNX(data: modelData, source: path, options: ONNXImportOptions(inputSampleShape: config?.inputShape))
        return try completed(path: path, config: config, graph: graph)
    }

    /// Refuses a batch of `batchSize` images whose largest activation would pass
    /// `AllocationLimit`, before any of it is allocated.
    public func checkBatch(_ batchSize: Int) throws(GraphError) {
        try graph.checkBatch(batchSize)
    }

    /// The loaded model with `config`, or one inferred from the graph (and said so) when there was none.
    private static func completed(path: String, config written: ModelConfig?, graph: Graph) throws -> LoadedModel {
        if let written { return LoadedModel(path: path, config: written, graph: graph, assumption: nil) }
        let configPath = ModelConfig.path(forModel: path)
        let config = try ModelConfig.inferred(from: graph, configPath: configPath)
        let shape = config.inputShape.map(String.init).joined(separator: "x")
        let assumption = "no \(configPath): input \(shape) and \(config.classes) classes taken from the model, "
            + "pixels scaled to [0, 1] without mean/std normalisation (write config.json to set input_shape, classes, mean, std)"
        return LoadedModel(path: path, config: config, graph: graph, assumption: assumption)
    }

    /// The graph alone, imported with `config.json`'s input shape when there is one
    /// (for commands that look at a model without running it on images).
    /// `modelData`, when given, is the file's bytes already read (as for `load(path:modelData:)`).
    public static func importGraph(path: String, modelData: Data? = nil) throws -> Graph {
        try configAndGraph(path: path, modelData: modelData ?? Graph.readONNXFile(path: path)).graph
    }

    /// `config.json` when it exists, and the graph imported from `modelData` with its input shape.
    private static func configAndGraph(path: String, modelData: Data) throws -> (config: ModelConfig?, graph: Graph) {
        let configPath = ModelConfig.path(forModel: path)
        let config = FileManager.default.fileExists(atPath: configPath) ? try ModelConfig.load(path: configPath) : nil
        let options = ONNXImportOptions(inputSampleShape: config?.inputShape)
        return (config, try Graph.importONNX(data: modelData, source: path, options: options))
    }
}

extension ModelConfig {
    /// The config a model implies when none was written: its own input and output shapes.
    static func inferred(from graph: Graph, configPath: String) throws(DatasetError) -> ModelConfig {
        let input = graph.inputSampleShape, output = graph.outputSampleShape
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else {
            throw .unreadable(path: configPath, reason: "no such file, and the model's input \(input) is not a fixed [C, H, W] image "
                + "(write config.json with input_shape, classes, mean, std)")
        }
        guard output.count == 1, output[0] > 1, output[0] <= ModelConfig.maximumClasses else {
            throw .unreadable(path: configPath, reason: "no such file, and the model's output \(output) is not a vector of class scores "
                + "(write config.json with input_shape, classes, mean, std)")
        }
        return ModelConfig(inputShape: input, classes: output[0], mean: [0], std: [1])
    }
}
