import Foundation
import Network

/// `config.json` bytes → `ModelConfig.load` → a model with dynamic height and
/// width imported with the config's input shape → the ONNX target's checks and
/// forward pass: how `LoadedModel` uses a config.
enum ModelConfigTarget {
    static func run(_ input: Data) throws {
        let path = try FuzzEnvironment.file("config.json", input)
        let config = try ModelConfig.load(path: path)
        _ = config.pixelScale
        let options = ONNXImportOptions(inputSampleShape: config.inputShape)
        let graph = try Graph.importONNX(data: DynamicModel.bytes, source: "dynamic_hw.onnx", options: options)
        try ONNXTarget.exercise(graph)
    }
}
