import Foundation

/// Version 1.0 NPY files, little-endian, C order.
public enum NPYFile {
    public static func write(uint8 values: [UInt8], shape: [Int], to url: URL) throws {
        try write(descr: "|u1", shape: shape, body: Data(values), to: url)
    }

    public static func write(int64 values: [Int64], to url: URL) throws {
        try write(descr: "<i8", shape: [values.count], body: values.withUnsafeBytes { Data($0) }, to: url)
    }

    private static func write(descr: String, shape: [Int], body: Data, to url: URL) throws {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(body)
        try data.write(to: url)
    }
}
