import ArgumentParser
import Foundation
import Network

/// `--model` and `--data`, shared by every command that runs a model on images.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "ONNX model, with a config.json beside it (input shape, classes, mean/std); without one they come from the model and pixels are scaled to [0, 1].")
    var model: String = ExampleModel.defaultPath

    @Option(name: .long, help: ArgumentHelp(
        "'fashion-mnist' (the Debian dataset-fashion-mnist files) or a directory of IDX or NPY files.",
        discussion: """
        IDX: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or .gz). \
        NPY: train_images.npy, train_labels.npy, test_images.npy, test_labels.npy; images uint8 (scaled by config 'scale') \
        or float (already in [0, 1]), shape N×H×W or N×C×H×W; labels integer, shape N.
        """))
    var data: String = "fashion-mnist"

    /// The model, its config and its graph; says on stderr what was assumed without a config.json.
    func loadModel() throws -> LoadedModel {
        try LoadedModel.loadReporting(path: model)
    }

    func dataSource() throws -> DatasetSource {
        do { return try DatasetSource(argument: data) } catch { throw CommandFailure("\(error)") }
    }
}

extension LoadedModel {
    /// `load`, with its error as a command failure and its assumption printed as a note.
    static func loadReporting(path: String) throws -> LoadedModel {
        let loaded: LoadedModel
        do { loaded = try LoadedModel.load(path: path) } catch { throw CommandFailure("\(error)") }
        if let assumption = loaded.assumption { Console.error("note: \(assumption)") }
        return loaded
    }
}
