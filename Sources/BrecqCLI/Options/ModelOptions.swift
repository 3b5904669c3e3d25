import ArgumentParser
import Foundation
import Network
import Quantization

/// `--model` and `--data`, shared by every command that runs a model on images.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "ONNX model, with a config.json beside it (input shape, classes, mean/std); without one they come from the model and pixels are scaled to [0, 1].")
    var model: String = ExampleModel.defaultPath

    @Option(name: .long, help: ArgumentHelp(
        "'fashion-mnist' (the Debian dataset-fashion-mnist files), a directory of IDX or NPY files, or an image folder.",
        discussion: """
        IDX: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or .gz). \
        NPY: train_images.npy, train_labels.npy, test_images.npy, test_labels.npy; images uint8 (scaled by config 'scale') \
        or float (already in [0, 1]), shape N×H×W or N×C×H×W; labels integer, shape N. \
        Images: train/<class>/*, val/<class>/* (JPEG/PNG) or train.txt, val.txt of 'path label' lines, \
        resized and cropped as config.json says (torchvision's evaluation transform by default).
        """))
    var data: String = "fashion-mnist"

    @Flag(help: "Image folders: leave out files that cannot be decoded (counted once) instead of stopping at the first.")
    var skipBadImages = false

    /// The model, its config and its graph; says on stderr what was assumed without a config.json.
    func loadModel() throws -> LoadedModel {
        try LoadedModel.loadReporting(path: model)
    }

    func dataSource() throws -> DatasetSource {
        do {
            var source = try DatasetSource(argument: data, skipBadImages: skipBadImages)
            source.progress = DecodingProgressBar().callback
            source.cache = ImageTensorFileCache()
            return source
        } catch { throw CommandFailure("\(error)") }
    }
}

extension LabeledImages {
    /// `--skip-bad-images`: says once how many files were left out, naming the first.
    func reportSkipped() { Console.reportSkipped(skippedFiles) }
}

extension EvaluationSet {
    /// `--skip-bad-images`: says once how many files were left out, naming the first.
    func reportSkipped() { Console.reportSkipped(skippedFiles) }
}

extension Console {
    static func reportSkipped(_ skippedFiles: [String]) {
        guard let first = skippedFiles.first else { return }
        Console.error("warning: skipped \(skippedFiles.count) unreadable image(s), first \(first)")
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
