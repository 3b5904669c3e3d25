import Foundation
import TestFixtures
import XCTest
@testable import Network
import Tensor

final class DatasetTests: XCTestCase {
    private let config = ModelConfig(inputShape: [1, 2, 3], classes: 4, mean: [0.5], std: [0.25])

    /// An IDX file (uint8) with the given dimensions and values.
    private func idx(_ dims: [Int], _ values: [UInt8]) -> Data {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
        for d in dims { bytes += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
        return Data(bytes + values)
    }

    private func writeIDX(to directory: URL, split: String, images: [UInt8], imageDims: [Int], labels: [UInt8]) throws {
        try idx(imageDims, images).write(to: directory.appendingPathComponent("\(split)-images-idx3-ubyte"))
        try idx([labels.count], labels).write(to: directory.appendingPathComponent("\(split)-labels-idx1-ubyte"))
    }

    func testRawIDXNormalisesWithConfig() throws {
        let directory = try temporaryDirectory()
        try writeIDX(to: directory, split: "t10k", images: [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 0],
                     imageDims: [2, 2, 3], labels: [3, 1])
        let data = try DatasetSource(argument: directory.path).load(.test, config: config)
        XCTAssertEqual(data.labels, [3, 1])
        XCTAssertEqual(data.images.shape, [2, 1, 2, 3])
        let expected: [Float] = [-2, -1.2, -0.4, 0.4, 1.2, 2, 2, -2, -2, -2, -2, -2]
        for (a, b) in zip(data.images.data, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertEqual(try DatasetSource(argument: directory.path).load(.test, config: config, limit: 1).count, 1)
    }

    func testGzipFashionMNISTCalibrationIsTheFirstTrainImages() throws {
        let source: DatasetSource
        do { source = try DatasetSource(argument: "fashion-mnist") } catch { throw XCTSkip("\(error)") }
        let fashion = ModelConfig(inputShape: [1, 28, 28], classes: 10, mean: [0], std: [1])
        let calibration = try source.calibration(count: 5, config: fashion)
        XCTAssertEqual(calibration.images.shape, [5, 1, 28, 28])
        // Known first training labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress, T-shirt.
        XCTAssertEqual(calibration.labels, [9, 0, 0, 3, 0])
        XCTAssertTrue(calibration.images.data.allSatisfy { $0 >= 0 && $0 <= 1 })
        let test = try source.load(.test, config: fashion, limit: 3)
        XCTAssertEqual(test.labels, [9, 2, 1])
    }

    func testGzipAndRawIDXDecodeToTheSameValues() throws {
        let gz = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"
        guard FileManager.default.fileExists(atPath: gz) else { throw XCTSkip("Fashion-MNIST not installed") }
        let compressed = try IDXFile(path: gz)
        XCTAssertEqual(compressed.dimensions, [10000])
        let directory = try temporaryDirectory()
        let raw = directory.appendingPathComponent("labels").path
        try idx(compressed.dimensions, [UInt8](compressed.values)).write(to: URL(fileURLWithPath: raw))
        XCTAssertEqual(try IDXFile(path: raw).values, compressed.values)
        // A cut gzip stream is reported, not half-read.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: gz))
        let cut = directory.appendingPathComponent("cut.gz")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        XCTAssertThrowsError(try IDXFile(path: cut.path)) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }

    func testNPYUint8AndFloatImagesWithInt64Labels() throws {
        let directory = try temporaryDirectory()
        // uint8 N×H×W is scaled by 1/255; float N×C×H×W is taken as already in [0, 1].
        try NPYArray(shape: [2, 2, 3], values: [0, 255, 51, 0, 0, 0, 255, 255, 255, 255, 255, 255])
            .write(to: directory.appendingPathComponent("train_images.npy").path, elementType: "|u1")
        try NPYArray(shape: [2], values: [0, 3]).write(to: directory.appendingPathComponent("train_labels.npy").path, elementType: "<i8")
        try NPYArray(shape: [1, 1, 2, 3], values: [0.5, 0.75, 1, 0, 0.25, 0.5])
            .write(to: directory.appendingPathComponent("test_images.npy").path)
        try NPYArray(shape: [1], values: [2]).write(to: directory.appendingPathComponent("test_labels.npy").path, elementType: "<i8")
        let source = try DatasetSource(argument: directory.path)
        XCTAssertEqual(source.format, .npy)
        let train = try source.load(.train, config: config)
        XCTAssertEqual(train.labels, [0, 3])
        XCTAssertEqual(Array(train.images.data.prefix(3)), [-2, 2, -1.2])
        let test = try source.load(.test, config: config)
        XCTAssertEqual(test.images.data, [0, 1, 2, -2, -1, 0])
        XCTAssertEqual(test.labels, [2])
    }

    func testMismatchedCountsAndShapesNameTheFile() throws {
        let directory = try temporaryDirectory()
        try writeIDX(to: directory, split: "t10k", images: [UInt8](repeating: 0, count: 12), imageDims: [2, 2, 3], labels: [1])
        XCTAssertThrowsError(try DatasetSource(argument: directory.path).load(.test, config: config)) { error in
            guard case DatasetError.countMismatch(let images, 2, let labels, 1) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(images.hasSuffix("t10k-images-idx3-ubyte") && labels.hasSuffix("t10k-labels-idx1-ubyte"))
        }
        try writeIDX(to: directory, split: "t10k", images: [UInt8](repeating: 0, count: 16), imageDims: [2, 2, 4], labels: [1, 2])
        XCTAssertThrowsError(try DatasetSource(argument: directory.path).load(.test, config: config)) { error in
            XCTAssertTrue("\(error)".contains("t10k-images-idx3-ubyte: images are [1, 2, 4] per sample, the model expects [1, 2, 3]"), "\(error)")
        }
        try writeIDX(to: directory, split: "t10k", images: [UInt8](repeating: 0, count: 12), imageDims: [2, 2, 3], labels: [1, 7])
        XCTAssertThrowsError(try DatasetSource(argument: directory.path).load(.test, config: config)) { error in
            XCTAssertTrue("\(error)".contains("label 7 outside 0..<4"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetSource(argument: "/nonexistent-data")) { error in
            XCTAssertEqual(error as? DatasetError, .unreadable(path: "/nonexistent-data", reason: "no such directory"))
        }
    }

    func testNPYRejectsFortranOrderAndWrongSizes() throws {
        func npy(_ header: String, payload: Int) -> Data {
            var h = header
            while (10 + h.utf8.count + 1) % 64 != 0 { h += " " }
            h += "\n"
            return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.utf8.count), 0] + Array(h.utf8) + [UInt8](repeating: 0, count: payload))
        }
        XCTAssertThrowsError(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload: 16), path: "f.npy"))
        XCTAssertThrowsError(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", payload: 12), path: "s.npy")) { error in
            XCTAssertTrue("\(error)".hasPrefix("s.npy: shape [2, 2] of <f4 needs 16 bytes"), "\(error)")
        }
        XCTAssertEqual(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", payload: 16), path: "ok.npy").shape, [2, 2])
    }

    func testConfigValidation() throws {
        let directory = try temporaryDirectory()
        let path = directory.appendingPathComponent("config.json").path
        try Data(#"{"input_shape": [1, 28, 28], "classes": 10, "mean": [0.1, 0.2], "std": [0.3, 0.3]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ModelConfig.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("mean/std need 1 or 1 values"), "\(error)")
        }
    }
}
