import Foundation
import Tensor

/// Where images come from: a directory of IDX files (MNIST names, gzip or
/// raw), of NPY files, or an image folder of JPEG/PNG files.
///
/// IDX: `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
/// `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`.
/// NPY: `train_images.npy`, `train_labels.npy`, `test_images.npy`,
/// `test_labels.npy`; images uint8 or float32/64, `[N, H, W]` or
/// `[N, C, H, W]`, C order; labels integers `[N]`.
/// Images: `train/<class>/*`, `val/<class>/*` or `train.txt`, `val.txt` (see
/// `ImageFolderIndex`), transformed as `ImageTransform` says from `config.json`.
public struct DatasetSource: Sendable, Equatable {
    public enum Format: String, Sendable { case idx, npy, images }

    /// The Debian `dataset-fashion-mnist` package's files, meant by `--data fashion-mnist`.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    public let directory: String
    public let format: Format
    /// Image folders: leave out files that cannot be decoded instead of stopping
    /// (they are listed in `LabeledImages.skippedFiles`).
    public var skipBadImages: Bool
    /// Image folders: reports decoding progress (from worker threads).
    public var progress: ImageFolderLoader.Progress?
    /// Image folders: where transformed tensors are kept between runs (nil: none).
    public var cache: (any ImageTensorCache)?

    public static func == (a: DatasetSource, b: DatasetSource) -> Bool {
        a.directory == b.directory && a.format == b.format && a.skipBadImages == b.skipBadImages
    }

    /// `fashion-mnist` or a directory path.
    public init(argument: String, skipBadImages: Bool = false) throws(DatasetError) {
        self.skipBadImages = skipBadImages
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
        } else if ImageFolderIndex.isImageFolder(directory) {
            format = .images
        } else {
            throw .missingFiles(directory: directory,
                                expected: "t10k-images-idx3-ubyte[.gz] etc. (IDX), test_images.npy, test_labels.npy, train_images.npy, "
                                    + "train_labels.npy (NPY), or train/<class>/*.jpg|png, val/<class>/* or train.txt, val.txt (images)")
        }
    }

    /// The first `count` training images (for image folders, `count` spread over
    /// the class-sorted list): BRECQ's calibration set.
    public func calibration(count: Int, config: ModelConfig) throws(DatasetError) -> LabeledImages {
        try load(.train, config: config, limit: count)
    }

    /// Loads a split normalised for `config`, keeping the first `limit` samples.
    public func load(_ split: DataSplit, config: ModelConfig, limit: Int? = nil) throws(DatasetError) -> LabeledImages {
        if format == .images {
            let index = try ImageFolderIndex(directory: directory, split: split)
            let selection = ImageFolderLoader.selection(index.entries, limit: limit)
            let transform = ImageTransform(config: config)
            let key = cache.map { _ in ImageFolderLoader.cacheKey(selection, transform: transform, skipBadImages: skipBadImages) }
            if let cache, let key, let stored = cache.load(key: key, sampleShape: config.inputShape),
               stored.labels.allSatisfy({ (0..<config.classes).contains($0) }) {
                return stored
            }
            let images = try ImageFolderLoader.load(selection, transform: transform, classes: config.classes,
                                                    skipBadImages: skipBadImages, progress: progress)
            if let cache, let key { cache.store(images, key: key) }
            return images
        }
        let (imagePath, labelPath) = try paths(split)
        switch format {
        case .images: preconditionFailure("handled above")
        case .idx:
            return try Self.labeledImages(images: try IDXFile(path: imagePath), imagePath: imagePath,
                                          labels: try IDXFile(path: labelPath), labelPath: labelPath, config: config, limit: limit)
        case .npy:
            return try Self.labeledImages(images: try NPYArray(path: imagePath), imagePath: imagePath,
                                          labels: try NPYArray(path: labelPath), labelPath: labelPath, config: config, limit: limit)
        }
    }

    /// The test split as evaluation reads it: held as `load` gives it (IDX,
    /// NPY, and image folders whose decoded images fit `heldLimitBytes`), else
    /// decoded from the image files a batch at a time (`EvaluationSet`).
    public func evaluationSet(config: ModelConfig, limit: Int? = nil,
                              heldLimitBytes: Int = EvaluationSet.heldLimitBytes) throws(DatasetError) -> EvaluationSet {
        guard format == .images else { return EvaluationSet(try load(.test, config: config, limit: limit)) }
        let index = try ImageFolderIndex(directory: directory, split: .test)
        let selection = ImageFolderLoader.selection(index.entries, limit: limit)
        let transform = ImageTransform(config: config)
        // In Double: a count times a sample size too large for Int is certainly over the limit, not a trap.
        let bytes = Double(selection.count) * Double(transform.sampleSize) * Double(MemoryLayout<Float>.stride)
        guard bytes > Double(heldLimitBytes) else { return EvaluationSet(try load(.test, config: config, limit: limit)) }
        return try EvaluationSet(files: selection, transform: transform, classes: config.classes,
                                 skipBadImages: skipBadImages, progress: progress)
    }

    /// Images and labels from IDX arrays already read (from files or bytes).
    public static func labeledImages(images: IDXFile, imagePath: String, labels labelFile: IDXFile, labelPath: String,
                                     config: ModelConfig, limit: Int? = nil) throws(DatasetError) -> LabeledImages {
        guard labelFile.dimensions.count == 1 else {
            throw .shapeMismatch(path: labelPath, detail: "labels must be one-dimensional, got \(labelFile.dimensions)")
        }
        try checkCounts(imagePath, images.dimensions[0], labelPath, labelFile.dimensions[0])
        let n = min(images.dimensions[0], max(limit ?? .max, 0))
        // IDXFile checked the product of its dimensions, so the prefix's size cannot overflow.
        let size = images.dimensions.dropFirst().reduce(1, *)
        let rawShape = [n] + images.dimensions.dropFirst()
        let sample = try sampleShape(raw: rawShape, expected: config.inputShape, path: imagePath)
        let labels = try checkedLabels(labelFile.values.prefix(n).map { Double($0) }, path: labelPath, classes: config.classes)
        try checkAllocation(n * size, path: imagePath)
        let pixels = images.values.prefix(n * size).map { Double($0) }
        return LabeledImages(images: normalise(pixels, count: n, sample: sample, config: config, isInteger: true), labels: labels)
    }

    /// Images and labels from NPY arrays already read (from files or bytes).
    public static func labeledImages(images: NPYArray, imagePath: String, labels labelArray: NPYArray, labelPath: String,
                                     config: ModelConfig, limit: Int? = nil) throws(DatasetError) -> LabeledImages {
        guard labelArray.shape.count == 1, ["|u1", "<u1", "u1", "<i4", "<i8", "|i1"].contains(labelArray.elementType) else {
            throw .shapeMismatch(path: labelPath, detail: "labels must be a 1-D integer array, got \(labelArray.elementType) \(labelArray.shape)")
        }
        guard let total = images.shape.first else { throw .shapeMismatch(path: imagePath, detail: "images array is a scalar") }
        try checkCounts(imagePath, total, labelPath, labelArray.shape[0])
        let n = min(total, max(limit ?? .max, 0))
        // NPYArray checked the product of its shape, so the prefix's size cannot overflow.
        let size = images.shape.dropFirst().reduce(1, *)
        let rawShape = [n] + images.shape.dropFirst()
        let sample = try sampleShape(raw: rawShape, expected: config.inputShape, path: imagePath)
        let labels = try checkedLabels(Array(labelArray.values.prefix(n)), path: labelPath, classes: config.classes)
        try checkAllocation(n * size, path: imagePath)
        let isInteger = images.elementType.contains("u1") || images.elementType.contains("i")
        return LabeledImages(images: normalise(Array(images.values.prefix(n * size)), count: n, sample: sample, config: config,
                                               isInteger: isInteger), labels: labels)
    }

    /// Labels as class indices: integers (an int64 of 2^63 − 1 is read as a
    /// Double and must not trap in `Int(_:)`) in `0..<classes`.
    private static func checkedLabels(_ values: [Double], path: String, classes: Int) throws(DatasetError) -> [Int] {
        var labels = [Int]()
        labels.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let label = try DatasetError.checking { () throws(UntrustedSizeError) in
                try CheckedSize.integer(value, "\(path): label at index \(index)")
            }
            guard (0..<classes).contains(label) else {
                throw .shapeMismatch(path: path, detail: "label \(label) outside 0..<\(classes) classes of the model (at index \(index))")
            }
            labels.append(label)
        }
        return labels
    }

    /// The pixels are held as Double while normalising and then as Float: both
    /// must fit `AllocationLimit` before they are allocated.
    private static func checkAllocation(_ elements: Int, path: String) throws(DatasetError) {
        try DatasetError.checking { () throws(UntrustedSizeError) in
            try AllocationLimit.check(elements, elementSize: MemoryLayout<Double>.stride, "\(path): \(elements) pixels")
        }
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
            throw .shapeMismatch(path: path, detail: "images are \(sample) per sample, the model expects \(expected) (C, H, W)")
        }
        return sample
    }

    private static func normalise(_ pixels: [Double], count: Int, sample: [Int], config: ModelConfig, isInteger: Bool) -> Tensor {
        let channels = sample[0]
        let plane = sample[1] * sample[2]
        let scale = isInteger ? config.pixelScale : 1
        var data = [Float](repeating: 0, count: count * channels * plane)
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
        case (.images, _): preconditionFailure("image folders are listed by ImageFolderIndex, not by fixed names")
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
