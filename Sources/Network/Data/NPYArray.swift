import Foundation
import Tensor

/// A NumPy `.npy` array (format 1.x–3.x), C order. Element types read:
/// float32/float64, uint8, int32/int64 (little-endian). Values are kept as
/// Double, which represents all of them exactly enough for images and labels.
public struct NPYArray: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Double]

    public init(shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "NPY shape \(shape) for \(values.count) values")
        self.shape = shape
        self.values = values
    }

    public init(path: String) throws(DatasetError) {
        let bytes: Data
        do { bytes = try RegularFile.read(path, what: "a .npy array", symbolicLinks: .followed) } catch { throw DatasetError(error) }
        try self.init(bytes: bytes, path: path)
    }

    /// Longest header read. NumPy itself refuses headers over 10 000 bytes
    /// unless told otherwise; a 4-byte length of 4 GiB is not a header.
    public static let maximumHeaderLength = 1 << 16

    /// Parses `.npy` bytes; `path` names them in errors. The header's shape is
    /// parsed strictly (every entry a non-negative integer), its element count
    /// checked for overflow and held to `AllocationLimit` before the values are
    /// decoded.
    public init(bytes data: Data, path: String) throws(DatasetError) {
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw .malformed(path: path, reason: "not a .npy file (bad magic)")
        }
        let major = bytes[6]
        guard (1...3).contains(major) else { throw .malformed(path: path, reason: "unsupported .npy format version \(major)") }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { throw .malformed(path: path, reason: "truncated .npy header") }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        guard headerLength <= Self.maximumHeaderLength else {
            throw .malformed(path: path, reason: ".npy header length \(headerLength) is over \(Self.maximumHeaderLength) bytes")
        }
        let dataStart = 8 + lengthBytes + headerLength
        guard data.count >= dataStart else { throw .malformed(path: path, reason: "truncated .npy header") }
        let headerBytes = data.dropFirst(8 + lengthBytes).prefix(headerLength)
        let header = TerminalText.sanitized(String(decoding: headerBytes, as: UTF8.self))
        guard let descr = Self.field("descr", in: header), let order = Self.field("fortran_order", in: header),
              let shapeText = Self.field("shape", in: header) else {
            throw .malformed(path: path, reason: "unreadable .npy header \(header.prefix(200))")
        }
        guard order.hasPrefix("False") else { throw .malformed(path: path, reason: "Fortran-order arrays are not supported; save with np.ascontiguousarray") }
        let shape = try Self.shape(shapeText, path: path)
        let type = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let size: Int
        switch type {
        case "|u1", "<u1", "u1", "|i1": size = 1
        case "<f4", "<i4": size = 4
        case "<f8", "<i8": size = 8
        default: throw .unsupportedDataType(path: path, dataType: "\(type.prefix(40)) (use float32, float64, uint8, int32 or int64, little-endian)")
        }
        let (count, byteCount) = try DatasetError.checking { () throws(UntrustedSizeError) in
            let what = "\(path): .npy shape \(shape)"
            let count = try CheckedSize.product(shape, what)
            // Values are kept as Double: the decoded array is 8 bytes per element. Each
            // axis is held to the limit too, so (2^40, 0) cannot make a reader loop 2^40 times.
            for d in shape { try AllocationLimit.check(d, elementSize: MemoryLayout<Double>.stride, what) }
            try AllocationLimit.check(count, elementSize: MemoryLayout<Double>.stride, what)
            return (count, try CheckedSize.multiply(count, size, what))
        }
        guard data.count - dataStart == byteCount else {
            throw .malformed(path: path, reason: "shape \(shape) of \(type) needs \(byteCount) bytes, file holds \(data.count - dataStart)")
        }
        var values = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let base = dataStart
            switch type {
            case "<f4": for i in 0..<count { values[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * i, as: UInt32.self)))) }
            case "<i4": for i in 0..<count { values[i] = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * i, as: Int32.self))) }
            case "<f8": for i in 0..<count { values[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * i, as: UInt64.self))) }
            case "<i8": for i in 0..<count { values[i] = Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * i, as: Int64.self))) }
            case "|i1": for i in 0..<count { values[i] = Double(Int8(bitPattern: raw[base + i])) }
            default: for i in 0..<count { values[i] = Double(raw[base + i]) }
            }
        }
        self.shape = shape
        self.values = values
        self.elementType = type
    }

    /// `(2, 3)`, `(5,)` or `()`: each entry a non-negative integer, nothing skipped.
    private static func shape(_ text: String, path: String) throws(DatasetError) -> [Int] {
        let inner = text.trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("("), inner.hasSuffix(")") else {
            throw .malformed(path: path, reason: ".npy shape \(text.prefix(80)) is not a tuple")
        }
        var entries = inner.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if entries.last == "" { entries.removeLast() }  // `(5,)`
        var shape = [Int]()
        for entry in entries {
            guard let value = Int(entry) else {
                throw .malformed(path: path, reason: ".npy shape \(text.prefix(80)) has the entry '\(entry.prefix(40))', not an integer")
            }
            shape.append(try DatasetError.checking { () throws(UntrustedSizeError) in try CheckedSize.count(value, "\(path): .npy shape \(text.prefix(80))") })
        }
        return shape
    }

    /// The NumPy descr the file used (`<f4`, `|u1`, …); `<f4` for arrays built in memory.
    public private(set) var elementType: String = "<f4"

    /// Writes the array as float32 (or `dtype` `<i8` for labels).
    public func write(to path: String, elementType type: String = "<f4") throws {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(type)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)])
        out.append(contentsOf: Array(header.utf8))
        switch type {
        case "<i8": for v in values { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
        case "|u1": out.append(contentsOf: values.map { UInt8($0) })
        default: for v in values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        }
        // Not Foundation's `.atomic`: on Linux it stages through a /tmp directory it never removes.
        try AtomicFile.write(out, to: path)
    }

    private static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        let rest = header[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("(") { return rest.firstIndex(of: ")").map { String(rest[...$0]) } }
        return rest.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
