import Tensor

/// The labelled images an evaluation reads, a batch at a time: held in memory
/// when small, or decoded from their image files batch by batch when holding
/// them would cost more than `heldLimitBytes`.
///
/// Why decode per batch rather than keep a compact copy: a 224×224 test image
/// is 602 KB in fp32 and still 301 KB in fp16, so the default 10 000 test
/// images would hold 6 GB (3 GB in fp16) — over the 4 GB a ResNet-18 run must
/// fit in either way. Decoding a batch again costs ~5 ms an image against
/// ResNet-18's ~26 ms forward (docs/benchmarks.md, "Peak memory"), and gives
/// exactly the floats the held path holds (the same decoder and transform), so
/// top-1/top-5 and KL are unchanged bit for bit. Memory is then the labels
/// (8 B an image) and one batch, whatever the number of test images.
public struct EvaluationSet: Sendable {
    /// Image folders whose decoded split is larger than this are decoded per batch.
    public static let heldLimitBytes = 256 << 20

    enum Storage: Sendable {
        case held(Tensor)
        case files([ImageFolderIndex.Entry], ImageTransform, classes: Int)
    }

    let storage: Storage
    public let labels: [Int]
    public let sampleShape: [Int]
    /// Image files left out because they could not be decoded (`--skip-bad-images`).
    public let skippedFiles: [String]

    /// Images already in memory.
    public init(_ images: LabeledImages) {
        storage = .held(images.images)
        labels = images.labels
        sampleShape = images.sampleShape
        skippedFiles = images.skippedFiles
    }

    /// Image files decoded when a batch is asked for. With `skipBadImages`
    /// every file is decoded once now (a batch at a time, pixels dropped) so
    /// that the files left out, and so the count and labels, are known before
    /// any evaluation as when the split is held; without it a file that cannot
    /// be decoded is an error when its batch is read.
    public init(files entries: [ImageFolderIndex.Entry], transform: ImageTransform, classes: Int,
                skipBadImages: Bool, progress: ImageFolderLoader.Progress? = nil) throws(DatasetError) {
        var kept = entries
        var skipped = [String]()
        if skipBadImages {
            kept = []
            var start = 0
            while start < entries.count {
                let range = start..<min(entries.count, start + Self.validationBatch)
                var batchProgress: ImageFolderLoader.Progress?
                if let progress {
                    let before = range.lowerBound, total = entries.count
                    batchProgress = { done, _ in progress(before + done, total) }
                }
                let batch = try ImageFolderLoader.load(Array(entries[range]), transform: transform, classes: classes,
                                                       skipBadImages: true, progress: batchProgress)
                let bad = Set(batch.skippedFiles)
                kept += entries[range].filter { !bad.contains($0.path) }
                skipped += batch.skippedFiles
                start = range.upperBound
            }
        } else {
            for entry in entries where entry.label >= classes {
                throw .shapeMismatch(path: entry.path, detail: "label \(entry.label) outside 0..<\(classes) classes of the model")
            }
        }
        storage = .files(kept, transform, classes: classes)
        labels = kept.map(\.label)
        sampleShape = [transform.channels, transform.cropHeight, transform.cropWidth]
        skippedFiles = skipped
    }

    /// Images decoded at once while finding the files to skip: bounds that pass's memory.
    static let validationBatch = 256

    public var count: Int { labels.count }

    /// Whether images are decoded per batch rather than held.
    public var isDecodedPerBatch: Bool { if case .files = storage { true } else { false } }

    /// Bytes of image data this set keeps between batches (labels aside): the
    /// held tensor, or nothing when images are decoded per batch.
    public var heldImageBytes: Int {
        switch storage {
        case .held(let tensor): tensor.count * MemoryLayout<Float>.stride
        case .files: 0
        }
    }

    /// Images `range` as one batch tensor; a file that no longer decodes is an error naming it.
    public func images(_ range: Range<Int>) throws(DatasetError) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "rows \(range) of \(count) images")
        if range.isEmpty { return Tensor(shape: [0] + sampleShape, data: []) }
        switch storage {
        case .held(let tensor):
            return LabeledImages(images: tensor, labels: labels).images(range)
        case .files(let entries, let transform, let classes):
            return try ImageFolderLoader.load(Array(entries[range]), transform: transform, classes: classes, skipBadImages: false).images
        }
    }

    /// Images at arbitrary indices, in that order.
    public func images(at indices: [Int]) throws(DatasetError) -> Tensor {
        precondition(indices.allSatisfy { (0..<count).contains($0) }, "indices outside 0..<\(count)")
        if indices.isEmpty { return Tensor(shape: [0] + sampleShape, data: []) }
        switch storage {
        case .held(let tensor):
            return LabeledImages(images: tensor, labels: labels).images(at: indices)
        case .files(let entries, let transform, let classes):
            return try ImageFolderLoader.load(indices.map { entries[$0] }, transform: transform, classes: classes, skipBadImages: false).images
        }
    }

    /// The first `n` images and their labels held in memory (a small prefix: the analysis's images).
    public func prefix(_ n: Int) throws(DatasetError) -> LabeledImages {
        let n = min(max(n, 0), count)
        return LabeledImages(images: try images(0..<n), labels: Array(labels[0..<n]))
    }
}
