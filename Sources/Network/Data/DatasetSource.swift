import Foundation
import Tensor

/// Where images come from: a directory of IDX files (MNIST names, gzip or
/// raw) or of NPY files.
///
/// IDX: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
/// `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`.
/// NPY: `train_images.npy`, `train_labels.npy`, `test_images.npy`,
/// `test_labels.npy`; images uint8 or float32/64, `[N, H, W]` or
/// `[N, C, H, W]`, C order; labels integers `[N]`.
public struct DatasetSource: Sendable, Equatable {
    public enum Format: String, Sendable { case idx, npy }

    /// The Debian `dataset-fashion-mnist` package's files, meant by `--data fashion-mnist`.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    public let directory: String
    public let format: Format

    /// `fashion-mnist` or a directory path.
    public init(argument: String) throws(DatasetError) {
        let directory = argument == "fashion-mnist" ? Self.fashionMNISTDirectory : argument
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unreadable(path: directory, reason: argument == "fashion-mnist"
                ? "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)" : "no such directory")
        }
        self.directory = directory
        if Self.existing(directory, "train_images.npy") != nil || Self.existing(directory, "test_images.npy") != nil {
            format = .npy
        } else if Self.existing(directory, "t10k-images-idx3-ubyte") != nil || Self.existing(directory, "train-images-idx3-ubyte") != nil {
            format = .idx
        } else {
            throw .missingFiles(directory: directory,
                                expected: "t10k-images-idx3-ubyte[.gz] etc. (IDX) or test_images.npy, test_labels.npy, train_images.npy, train_labels.npy")
        }
    }

    /// The first `count` training images: BRECQ's calibration set.
    public func calibration(count: Int, config: ModelConfig) throws(DatasetError) -> LabeledImages {
        try load(.train, config: config, limit: count)
    }

    /// Loads a split normalised for `config`, keeping the first `limit` samples.
    public func load(_ split: DataSplit, config: ModelConfig, limit: Int? = nil) throws(DatasetError) -> LabeledImages {
        let (imagePath, labelPath) = try paths(split)
        let (rawShape, pixels, isInteger): ([Int], [Double], Bool)
        let labels: [Int]
        switch format {
        case .idx:
            let images = try IDXFile(path: imagePath)
            let labelFile = try IDXFile(path: labelPath)
            guard labelFile.dimensions.count == 1 else {
                throw .shapeMismatch(path: labelPath, detail: "labels must be one-dimensional, got \(labelFile.dimensions)")
            }
            let n = min(images.dimensions[0], limit ?? .max)
            let size = images.dimensions.dropFirst().reduce(1, *)
            try Self.checkCounts(imagePath, images.dimensions[0], labelPath, labelFile.dimensions[0])
            rawShape = [n] + images.dimensions.dropFirst()
            pixels = images.values.prefix(n * size).map { Double($0) }
            labels = labelFile.values.prefix(n).map { Int($0) }
            isInteger = true
        case .npy:
            let images = try NPYArray(path: imagePath)
            let labelArray = try NPYArray(path: labelPath)
            guard labelArray.shape.count == 1, ["|u1", "<u1", "u1", "<i4", "<i8", "|i1"].contains(labelArray.elementType) else {
                throw .shapeMismatch(path: labelPath, detail: "labels must be a 1-D integer array, got \(labelArray.elementType) \(labelArray.shape)")
            }
            guard let total = images.shape.first else { throw .shapeMismatch(path: imagePath, detail: "images array is a scalar") }
            try Self.checkCounts(imagePath, total, labelPath, labelArray.shape[0])
            let n = min(total, limit ?? .max)
            let size = images.shape.dropFirst().reduce(1, *)
            rawShape = [n] + images.shape.dropFirst()
            pixels = Array(images.values.prefix(n * size))
            labels = labelArray.values.prefix(n).map { Int($0) }
            isInteger = images.elementType.contains("u1") || images.elementType.contains("i")
        }
        let sample = try Self.sampleShape(raw: rawShape, expected: config.inputShape, path: imagePath)
        if let bad = labels.first(where: { $0 < 0 || $0 >= config.classes }) {
            throw .shapeMismatch(path: labelPath, detail: "label \(bad) outside 0..<\(config.classes) classes of the model")
        }
        let tensor = Self.normalise(pixels, count: labels.count, sample: sample, config: config, isInteger: isInteger)
        return LabeledImages(images: tensor, labels: labels)
    }

    private static func checkCounts(_ images: String, _ imageCount: Int, _ labels: String, _ labelCount: Int) throws(DatasetError) {
        guard imageCount == labelCount else {
            throw .countMismatch(images: images, imageCount: imageCount, labels: labels, labelCount: labelCount)
        }
    }

    /// `[N, H, W]` is single-channel; `[N, C, H, W]` as is; either must match the model.
    private static func sampleShape(raw: [Int], expected: [Int], path: String) throws(DatasetError) -> [Int] {
        let sample = raw.count == 3 ? [1] + raw.dropFirst() : Array(raw.dropFirst())
        guard raw.count == 3 || raw.count == 4, sample == expected else {
            throw .shapeMismatch(path: path, detail: "images are \(Array(raw.dropFirst())) per sample, the model expects \(expected) (C, H, W)")
        }
        return sample
    }

    private static func normalise(_ pixels: [Double], count: Int, sample: [Int], config: ModelConfig, isInteger: Bool) -> Tensor {
        let channels = sample[0]
        let plane = sample[1] * sample[2]
        let scale = isInteger ? config.pixelScale : 1
        var data = [Float](repeating: 0, count: pixels.count)
        for n in 0..<count {
            for c in 0..<channels {
                let mean = config.mean[config.mean.count == 1 ? 0 : c]
                let std = config.std[config.std.count == 1 ? 0 : c]
                let base = (n * channels + c) * plane
                for i in base..<(base + plane) { data[i] = Float((pixels[i] * scale - mean) / std) }
            }
        }
        return Tensor(shape: [count] + sample, data: data)
    }

    private func paths(_ split: DataSplit) throws(DatasetError) -> (images: String, labels: String) {
        let names: (String, String)
        switch (format, split) {
        case (.idx, .train): names = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
        case (.idx, .test): names = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
        case (.npy, .train): names = ("train_images.npy", "train_labels.npy")
        case (.npy, .test): names = ("test_images.npy", "test_labels.npy")
        }
        guard let images = Self.existing(directory, names.0) else { throw .missingFiles(directory: directory, expected: names.0) }
        guard let labels = Self.existing(directory, names.1) else { throw .missingFiles(directory: directory, expected: names.1) }
        return (images, labels)
    }

    /// `name` or `name.gz` (IDX) inside `directory`, whichever exists.
    private static func existing(_ directory: String, _ name: String) -> String? {
        for candidate in [name, name + ".gz"] {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(candidate).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }
}
