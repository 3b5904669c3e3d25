import CZlib
import Foundation

/// Whole-buffer gzip decompression through zlib.
enum Gzip {
    static func isCompressed(_ bytes: Data) -> Bool {
        bytes.count >= 2 && bytes[bytes.startIndex] == 0x1f && bytes[bytes.startIndex + 1] == 0x8b
    }

    /// Inflates a gzip stream; `path` names it in errors.
    static func decompress(_ compressed: Data, path: String) throws(DatasetError) -> Data {
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip header and trailer.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let status: Int32 = compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            var status = Z_OK
            while status == Z_OK {
                status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    output.append(buffer.baseAddress!, count: buffer.count - Int(stream.avail_out))
                    return result
                }
                if status == Z_BUF_ERROR && stream.avail_in > 0 { status = Z_OK }
            }
            return status
        }
        guard status == Z_STREAM_END else {
            throw .malformed(path: path, reason: status == Z_BUF_ERROR ? "gzip stream is truncated" : "corrupt gzip data (zlib status \(status))")
        }
        return output
    }
}
