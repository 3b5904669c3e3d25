import Foundation
import Network

/// IDX (raw or gzip) and NPY bytes → the reader → the data set loader, which
/// turns labels into class indices and images into normalised tensors. The
/// input is tried as the images file (with labels made to match) and, when it
/// is one-dimensional, as the labels file (with images made to match).
enum DatasetTarget {
    static func runIDX(_ input: Data) throws {
        let file = try IDXFile(bytes: input, path: "fuzz-idx")
        let directory = try FuzzEnvironment.emptyDirectory("idx")
        let gz = input.starts(with: [0x1f, 0x8b]) ? ".gz" : ""
        if file.dimensions.count >= 3, let n = file.dimensions.first, n <= 4096 {
            try input.write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte" + gz))
            try idx(dimensions: [n], values: [UInt8](repeating: 1, count: n))
                .write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))
            try load(directory: directory, dimensions: file.dimensions)
        } else if file.dimensions.count == 1, let n = file.dimensions.first, n <= 4096 {
            try input.write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte" + gz))
            try idx(dimensions: [n, 2, 2], values: [UInt8](repeating: 7, count: 4 * n))
                .write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte"))
            try load(directory: directory, dimensions: [n, 2, 2])
        }
    }

    static func runNPY(_ input: Data) throws {
        let array = try NPYArray(bytes: input, path: "fuzz.npy")
        let directory = try FuzzEnvironment.emptyDirectory("npy")
        if array.shape.count >= 3, let n = array.shape.first, n <= 4096 {
            try input.write(to: directory.appendingPathComponent("test_images.npy"))
            try NPYArray(shape: [n], values: [Double](repeating: 1, count: n))
                .write(to: directory.appendingPathComponent("test_labels.npy").path, elementType: "<i8")
            try load(directory: directory, dimensions: array.shape)
        } else if array.shape.count == 1, let n = array.shape.first, n <= 4096 {
            try input.write(to: directory.appendingPathComponent("test_labels.npy"))
            try NPYArray(shape: [n, 2, 2], values: [Double](repeating: 3, count: 4 * n))
                .write(to: directory.appendingPathComponent("test_images.npy").path, elementType: "|u1")
            try load(directory: directory, dimensions: [n, 2, 2])
        }
    }

    /// The test split as `eval` loads it, with a config whose input shape fits the images.
    private static func load(directory: URL, dimensions: [Int]) throws {
        let sample = dimensions.count == 3 ? [1] + dimensions.dropFirst() : Array(dimensions.dropFirst())
        guard sample.count == 3, sample.allSatisfy({ $0 > 0 && $0 <= 4096 }) else { return }
        let config = ModelConfig(inputShape: sample, classes: 10, mean: [0.5], std: [0.25])
        _ = try DatasetSource(argument: directory.path).load(.test, config: config, limit: 64)
    }

    private static func idx(dimensions: [Int], values: [UInt8]) -> Data {
        var out = Data([0, 0, 0x08, UInt8(dimensions.count)])
        for d in dimensions { withUnsafeBytes(of: UInt32(d).bigEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: values)
        return out
    }
}
