import Tensor

/// Normalised images `[N, C, H, W]` with their class labels.
public struct LabeledImages: Sendable, Equatable {
    public var images: Tensor
    public var labels: [Int]
    /// Image files left out because they could not be decoded (`--skip-bad-images`).
    public var skippedFiles: [String] = []

    public init(images: Tensor, labels: [Int]) {
        precondition(images.shape.first == labels.count, "\(images.shape) images for \(labels.count) labels")
        self.images = images
        self.labels = labels
    }

    public var count: Int { labels.count }
    public var sampleShape: [Int] { Array(images.shape.dropFirst()) }

    /// Images `range` as one batch tensor.
    public func images(_ range: Range<Int>) -> Tensor {
        let size = sampleShape.reduce(1, *)
        return Tensor(shape: [range.count] + sampleShape, data: Array(images.data[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// Images at arbitrary indices (a random calibration batch).
    public func images(at indices: [Int]) -> Tensor {
        let size = sampleShape.reduce(1, *)
        var data = [Float]()
        data.reserveCapacity(indices.count * size)
        for i in indices { data.append(contentsOf: images.data[(i * size)..<((i + 1) * size)]) }
        return Tensor(shape: [indices.count] + sampleShape, data: data)
    }
}
