import ArgumentParser
import Network

/// `--model` and `--data`, shared by every command that runs a model on images.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "ONNX model; its config.json (input shape, mean/std) must sit beside it.")
    var model: String = ExampleModel.defaultPath

    @Option(name: .long, help: ArgumentHelp(
        "'fashion-mnist' (the Debian dataset-fashion-mnist files) or a directory of IDX or NPY files.",
        discussion: """
        IDX: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or .gz). \
        NPY: train_images.npy, train_labels.npy, test_images.npy, test_labels.npy; images uint8 (scaled by config 'scale') \
        or float (already in [0, 1]), shape N×H×W or N×C×H×W; labels integer, shape N.
        """))
    var data: String = "fashion-mnist"

    /// The model's config and its graph, imported with the config's input shape.
    func loadModel() throws -> LoadedModel {
        do {
            let config = try ModelConfig.load(path: ModelConfig.path(forModel: model))
            let graph = try Graph.importONNX(path: model, options: ONNXImportOptions(inputSampleShape: config.inputShape))
            return LoadedModel(path: model, config: config, graph: graph)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    func dataSource() throws -> DatasetSource {
        do { return try DatasetSource(argument: data) } catch { throw CommandFailure("\(error)") }
    }
}

/// A model ready to run: its path, config and imported graph.
struct LoadedModel {
    let path: String
    let config: ModelConfig
    let graph: Graph
}
