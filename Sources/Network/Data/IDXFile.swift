import Foundation
import Tensor

/// An IDX array (the MNIST file format): magic `0 0 type rank`, big-endian
/// dimension sizes, then the values. Only unsigned bytes (type 0x08) occur
/// in image/label files and only those are read. Gzip is detected by magic.
///
/// Every dimension is hostile: the header is read first, its element count
/// checked (no overflow of `(2^32 − 1)^3`, none hidden behind a zero
/// dimension) and held to `AllocationLimit`, and a gzip stream is inflated
/// only up to what the header promises.
public struct IDXFile: Sendable, Equatable {
    public let dimensions: [Int]
    /// The values, one byte each, row-major.
    public let values: Data

    public init(path: String) throws(DatasetError) {
        let bytes: Data
        do { bytes = try RegularFile.read(path, what: "an IDX file", symbolicLinks: .followed) } catch { throw DatasetError(error) }
        try self.init(bytes: bytes, path: path)
    }

    /// Parses IDX bytes, raw or gzip-compressed; `path` names them in errors.
    public init(bytes: Data, path: String) throws(DatasetError) {
        if GzipInflater.isCompressed(bytes) {
            let stream = try GzipInflater(bytes, path: path)
            let magic = try stream.read(4)
            let rank = try Self.rank(magic, path: path)
            let dimensionBytes = try stream.read(4 * rank)
            let (dimensions, count) = try Self.dimensions(dimensionBytes, rank: rank, path: path)
            let values = try stream.read(count)
            guard values.count == count else {
                throw .malformed(path: path, reason: "gzip stream is truncated: IDX header promises \(dimensions) = \(count) values, the stream holds \(values.count)")
            }
            try stream.finish(expected: "the \(count) values of IDX dimensions \(dimensions)")
            self.dimensions = dimensions
            self.values = values
        } else {
            let rank = try Self.rank(bytes.prefix(4), path: path)
            let headerSize = 4 + 4 * rank
            let (dimensions, count) = try Self.dimensions(bytes.dropFirst(4).prefix(4 * rank), rank: rank, path: path)
            guard bytes.count - headerSize == count else {
                throw .malformed(path: path, reason: "IDX header promises \(dimensions) = \(count) values but the file holds \(bytes.count - headerSize)")
            }
            self.dimensions = dimensions
            self.values = Data(bytes.dropFirst(headerSize))
        }
    }

    /// Checks the magic number and returns the rank.
    private static func rank(_ magic: Data, path: String) throws(DatasetError) -> Int {
        let b = [UInt8](magic)
        guard b.count == 4, b[0] == 0, b[1] == 0 else { throw .malformed(path: path, reason: "not an IDX file (bad magic number)") }
        guard b[2] == 0x08 else { throw .unsupportedDataType(path: path, dataType: String(format: "IDX type 0x%02x (only unsigned byte)", b[2])) }
        guard b[3] >= 1 else { throw .malformed(path: path, reason: "IDX rank 0") }
        return Int(b[3])
    }

    /// The big-endian dimensions and their checked product (the value count).
    private static func dimensions(_ header: Data, rank: Int, path: String) throws(DatasetError) -> ([Int], Int) {
        let b = [UInt8](header)
        guard b.count == 4 * rank else { throw .malformed(path: path, reason: "IDX header truncated") }
        let dimensions = (0..<rank).map { i in (0..<4).reduce(0) { $0 << 8 | Int(b[4 * i + $1]) } }
        let count = try DatasetError.checking { () throws(UntrustedSizeError) in
            let what = "\(path): IDX dimensions \(dimensions)"
            // The size of one item is checked on its own, so a zero first
            // dimension cannot hide an item size that overflows.
            let item = try CheckedSize.product(dimensions.dropFirst(), what)
            let count = try CheckedSize.multiply(dimensions[0], item, what)
            // Every axis is held to the limit as well, so [2^32 − 1, 0] cannot make a reader loop 2^32 times.
            for d in dimensions { try AllocationLimit.check(d, elementSize: 1, what) }
            try AllocationLimit.check(item, elementSize: 1, what)
            try AllocationLimit.check(count, elementSize: 1, what)
            return count
        }
        return (dimensions, count)
    }
}
