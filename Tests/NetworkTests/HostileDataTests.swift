import CZlib
import Foundation
import XCTest
@testable import Network
import Tensor

/// Dataset and config files are hostile: their sizes, header lengths and
/// labels are checked, and a gzip stream is inflated only as far as its IDX
/// header promises.
final class HostileDataTests: XCTestCase {
    /// An IDX header (unsigned bytes) with the given dimensions, then `values`.
    private func idx(_ dims: [UInt32], _ values: [UInt8] = []) -> Data {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dims.count)]
        for d in dims { bytes += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
        return Data(bytes + values)
    }

    /// Gzip-compresses `header` followed by `zeros` zero bytes, streaming the
    /// zeros in 1 MiB pieces (a compression bomb without holding it in memory).
    private func gzip(_ header: Data, zeros: Int) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            // zlib is linked; an init failure is a broken environment, so the test fails rather than skips.
            throw DeflateFailed()
        }
        defer { deflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        func feed(_ input: [UInt8], finish: Bool) {
            var input = input
            input.withUnsafeMutableBufferPointer { buffer in
                stream.next_in = buffer.baseAddress
                stream.avail_in = uInt(buffer.count)
                repeat {
                    chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        _ = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
                        output.append(out.baseAddress!, count: out.count - Int(stream.avail_out))
                    }
                } while stream.avail_out == 0 || (finish && stream.avail_in > 0)
            }
        }
        feed([UInt8](header), finish: false)
        let piece = [UInt8](repeating: 0, count: 1 << 20)
        var left = zeros
        while left > 0 {
            let n = min(left, piece.count)
            feed(Array(piece.prefix(n)), finish: false)
            left -= n
        }
        feed([], finish: true)
        return output
    }

    func testIDXDimensionsWhoseProductOverflows() {
        assertThrows(try IDXFile(bytes: idx([.max, .max, .max]), path: "cube.idx"), mentioning: ["cube.idx: IDX dimensions [4294967295, 4294967295, 4294967295]", "exceed"])
        // A zero first dimension must not hide an item size that overflows.
        assertThrows(try IDXFile(bytes: idx([0, .max, .max]), path: "empty.idx"), mentioning: ["empty.idx: IDX dimensions [0, 4294967295, 4294967295]"])
    }

    func testIDXHeaderPromisingMoreThanTheLimit() {
        assertThrows(try IDXFile(bytes: idx([1 << 16, 1 << 16, 1 << 16]), path: "big.idx"), mentioning: ["big.idx: IDX dimensions", "more than the limit"])
    }

    /// 64 MiB of zeros compress to ~64 KB. The header says 10 labels: the
    /// reader inflates 10 bytes and one more, then refuses the file, instead of
    /// inflating everything before looking at the header.
    func testAGzipBombIsRefusedAfterTheBytesItsHeaderPromises() throws {
        let bomb = try gzip(idx([10]), zeros: 64 << 20)
        XCTAssertLessThan(bomb.count, 1 << 20)
        assertThrows(try IDXFile(bytes: bomb, path: "bomb.gz"), mentioning: ["bomb.gz", "holds more data than the 10 values of IDX dimensions [10]"])
    }

    func testAGzipHeaderPromisingMoreThanTheLimit() throws {
        let promise = try gzip(idx([1 << 16, 1 << 16, 1 << 16]), zeros: 16)
        assertThrows(try IDXFile(bytes: promise, path: "promise.gz"), mentioning: ["promise.gz: IDX dimensions", "more than the limit"])
    }

    func testAGzipStreamHoldingFewerValuesThanItsHeader() throws {
        let short = try gzip(idx([100]), zeros: 10)
        assertThrows(try IDXFile(bytes: short, path: "short.gz"), mentioning: ["short.gz", "truncated", "the stream holds 10"])
        let cut = try gzip(idx([100]), zeros: 100)
        assertThrows(try IDXFile(bytes: cut.prefix(cut.count - 12), path: "cut.gz"), mentioning: ["cut.gz", "truncated"])
    }

    func testGzipAndRawIDXReadTheSameValues() throws {
        let raw = idx([2, 3], [1, 2, 3, 4, 5, 6])
        let compressed = try IDXFile(bytes: try gzip(raw, zeros: 0), path: "ok.gz")
        XCTAssertEqual(compressed, try IDXFile(bytes: raw, path: "ok.idx"))
        XCTAssertEqual(compressed.dimensions, [2, 3])
        // Bytes after the gzip stream are refused like bytes after raw values.
        assertThrows(try IDXFile(bytes: try gzip(raw, zeros: 0) + Data([0, 0]), path: "tail.gz"), mentioning: ["tail.gz", "bytes follow the gzip stream"])
    }

    private func npy(_ header: String, payload: Int = 0, version: UInt8 = 1, length: UInt32? = nil) -> Data {
        var h = header
        while (10 + h.utf8.count + 1) % 64 != 0 { h += " " }
        h += "\n"
        let n = length ?? UInt32(h.utf8.count)
        let lengthBytes: [UInt8] = version == 1 ? [UInt8(n & 0xff), UInt8(n >> 8 & 0xff)]
            : [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24 & 0xff)]
        return Data([0x93] + Array("NUMPY".utf8) + [version, 0] + lengthBytes + Array(h.utf8) + [UInt8](repeating: 0, count: payload))
    }

    func testNPYShapesThatAreNotSizes() {
        assertThrows(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 2), }"), path: "huge.npy"),
                     mentioning: ["huge.npy: .npy shape [4611686018427387904, 2]"])
        assertThrows(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 2), }"), path: "neg.npy"),
                     mentioning: ["neg.npy", "negative"])
        // An entry that is not an integer was silently dropped, turning (2, x) into (2,).
        assertThrows(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", payload: 8), path: "x.npy"),
                     mentioning: ["x.npy", "'x', not an integer"])
    }

    func testAbsurdNPYHeaderLengths() {
        assertThrows(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", version: 2, length: .max), path: "long.npy"),
                     mentioning: ["long.npy", ".npy header length 4294967295"])
        assertThrows(try NPYArray(bytes: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", version: 2, length: 60_000), path: "cut.npy"),
                     mentioning: ["cut.npy", "truncated .npy header"])
    }

    /// An int64 label of 2^63 − 1 is read as a Double (2^63) and trapped in `Int(_:)`.
    func testLabelsThatAreNotClassIndices() throws {
        let config = ModelConfig(inputShape: [1, 1, 2], classes: 10, mean: [0], std: [1])
        let images = NPYArray(shape: [2, 1, 2], values: [0, 0, 0, 0])
        var labels = try NPYArray(bytes: npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", payload: 16), path: "labels.npy")
        labels.values = [3, Double(Int64.max)]
        assertThrows(try DatasetSource.labeledImages(images: images, imagePath: "images.npy", labels: labels, labelPath: "labels.npy", config: config),
                     mentioning: ["labels.npy: label at index 1", "not an integer"])
        labels.values = [3, -1]
        assertThrows(try DatasetSource.labeledImages(images: images, imagePath: "images.npy", labels: labels, labelPath: "labels.npy", config: config),
                     mentioning: ["labels.npy", "label -1 outside 0..<10"])
        labels.values = [3, 9]
        XCTAssertEqual(try DatasetSource.labeledImages(images: images, imagePath: "images.npy", labels: labels, labelPath: "labels.npy", config: config).labels, [3, 9])
    }

    func testConfigNumbersThatAreNotSizes() {
        func config(_ json: String) throws -> ModelConfig { try ModelConfig.decode(data: Data(json.utf8), path: "m/config.json") }
        assertThrows(try config(#"{"input_shape": [1, 1e30, 28], "classes": 10, "mean": [0], "std": [1]}"#),
                     mentioning: ["m/config.json", "input_shape[1]", "not an integer"])
        assertThrows(try config(#"{"input_shape": [1, 28, 28], "classes": 2.5, "mean": [0], "std": [1]}"#),
                     mentioning: ["m/config.json", "classes", "not an integer"])
        assertThrows(try config(#"{"input_shape": [1, 28, 28], "classes": 1e300, "mean": [0], "std": [1]}"#),
                     mentioning: ["m/config.json", "classes"])
        assertThrows(try config(#"{"input_shape": [1, -28, 28], "classes": 10, "mean": [0], "std": [1]}"#),
                     mentioning: ["m/config.json", "input_shape[1]", "negative"])
        assertThrows(try config(#"{"input_shape": [1, 4294967296, 4294967296], "classes": 10, "mean": [0], "std": [1]}"#),
                     mentioning: ["m/config.json", "input_shape [1, 4294967296, 4294967296]"])
        assertThrows(try config(#"{"input_shape": [1, 28, 28], "classes": 10, "mean": [0], "std": [1], "scale": -1}"#),
                     mentioning: ["m/config.json", "scale"])
        assertThrows(try config(#"{"input_shape": [1, 28, 28], "classes": "ten", "mean": [0], "std": [1]}"#),
                     mentioning: ["m/config.json", "classes is not a number"])
        XCTAssertEqual(try config(#"{"input_shape": [1, 28, 28], "classes": 10, "mean": [0.5], "std": [0.25]}"#).inputShape, [1, 28, 28])
    }

    func testLoadedModelFromBytesUsesTheConfig() throws {
        let model = try Data(contentsOf: URL(fileURLWithPath: fixturePath("tiny_resnet.onnx")))
        let config = Data(#"{"input_shape": [1, 16, 16], "classes": 10, "mean": [0], "std": [1]}"#.utf8)
        let loaded = try LoadedModel.load(modelData: model, configData: config, path: "mem/tiny.onnx")
        XCTAssertEqual(loaded.config.classes, 10)
        XCTAssertNil(loaded.assumption)
        XCTAssertNotNil(try LoadedModel.load(modelData: model, configData: nil).assumption)
        assertThrows(try LoadedModel.load(modelData: model, configData: Data("{".utf8), path: "mem/tiny.onnx"), mentioning: ["mem/config.json", "not valid JSON"])
    }
}

private struct DeflateFailed: Error, CustomStringConvertible {
    var description: String { "zlib deflateInit2 failed" }
}
