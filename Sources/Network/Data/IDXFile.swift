import Foundation

/// An IDX array (the MNIST file format): magic `0 0 type rank`, big-endian
/// dimension sizes, then the values. Only unsigned bytes (type 0x08) occur
/// in image/label files and only those are read. Gzip is detected by magic.
public struct IDXFile: Sendable {
    public let dimensions: [Int]
    /// The values, one byte each, row-major.
    public let values: Data

    init(path: String) throws(DatasetError) {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file")
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Parses IDX bytes, raw or gzip-compressed (the fuzzing harness's entry point); `path` names them in errors.
    public init(bytes: Data, path: String) throws(DatasetError) {
        if Gzip.isCompressed(bytes) {
            try self.init(uncompressed: try Gzip.decompress(bytes, path: path), path: path)
        } else {
            try self.init(uncompressed: bytes, path: path)
        }
    }

    private init(uncompressed bytes: Data, path: String) throws(DatasetError) {
        let b = [UInt8](bytes.prefix(4 + 4 * 8))
        guard b.count >= 4, b[0] == 0, b[1] == 0 else { throw .malformed(path: path, reason: "not an IDX file (bad magic number)") }
        guard b[2] == 0x08 else { throw .unsupportedDataType(path: path, dataType: String(format: "IDX type 0x%02x (only unsigned byte)", b[2])) }
        let rank = Int(b[3])
        guard rank >= 1, b.count >= 4 + 4 * rank else { throw .malformed(path: path, reason: "IDX header truncated") }
        dimensions = (0..<rank).map { i in (0..<4).reduce(0) { $0 << 8 | Int(b[4 + 4 * i + $1]) } }
        let headerSize = 4 + 4 * rank
        let count = dimensions.reduce(1, *)
        guard bytes.count - headerSize == count else {
            throw .malformed(path: path, reason: "IDX header promises \(dimensions) = \(count) values but the file holds \(bytes.count - headerSize)")
        }
        values = bytes.subdata(in: (bytes.startIndex + headerSize)..<bytes.endIndex)
    }
}
