import CZlib
import Foundation

/// Gzip decompression as a stream: the caller asks for as many bytes as it
/// expects (an IDX header, then the values the header promises), so a 5 MB
/// file that inflates to 5 GiB is refused after its header, not after inflating.
///
/// A class because zlib keeps a pointer back to its `z_stream`, which must
/// therefore never move; the compressed bytes are copied to a buffer that
/// lives as long as the stream.
final class GzipInflater {
    private let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private let inputLength: Int
    /// Compressed bytes not yet handed to zlib (avail_in is 32-bit; files may be larger).
    private var remainingInput: Int
    /// zlib reported the end of the gzip member.
    private var ended = false

    static func isCompressed(_ bytes: Data) -> Bool {
        bytes.count >= 2 && bytes[bytes.startIndex] == 0x1f && bytes[bytes.startIndex + 1] == 0x8b
    }

    /// Starts inflating `compressed`; `path` names it in errors.
    init(_ compressed: Data, path: String) throws(DatasetError) {
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: max(compressed.count, 1), alignment: 1)
        compressed.copyBytes(to: input.bindMemory(to: UInt8.self), count: compressed.count)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 16: expect a gzip header and trailer.
        guard inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw .malformed(path: path, reason: "zlib could not start inflating")
        }
        self.path = path
        self.input = input
        self.inputLength = compressed.count
        self.remainingInput = compressed.count
        self.stream = stream
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    /// The next `count` bytes; fewer only when the stream ends first.
    /// `count` must already be checked against `AllocationLimit`.
    func read(_ count: Int) throws(DatasetError) -> Data {
        var output = Data(count: count)
        var filled = 0
        var failure: DatasetError?
        output.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return }
            while filled < count && !ended {
                refillInput()
                let chunk = min(count - filled, Int(UInt32.max))
                stream.pointee.next_out = base + filled
                stream.pointee.avail_out = uInt(chunk)
                let status = inflate(stream, Z_NO_FLUSH)
                filled += chunk - Int(stream.pointee.avail_out)
                switch status {
                case Z_OK: continue
                case Z_STREAM_END: ended = true
                case Z_BUF_ERROR where stream.pointee.avail_in == 0 && remainingInput == 0:
                    failure = .malformed(path: path, reason: "gzip stream is truncated")
                    return
                case Z_BUF_ERROR: continue
                default:
                    failure = .malformed(path: path, reason: "corrupt gzip data (zlib status \(status))")
                    return
                }
            }
        }
        if let failure { throw failure }
        return output.prefix(filled)
    }

    /// Checks that the stream ends exactly here and nothing follows it: a file
    /// holding more than its header promises is as malformed as one holding less.
    func finish(expected: String) throws(DatasetError) {
        if !ended {
            let extra = try read(1)
            guard extra.isEmpty, ended else {
                throw .malformed(path: path, reason: "the gzip stream holds more data than \(expected)")
            }
        }
        guard stream.pointee.avail_in == 0, remainingInput == 0 else {
            throw .malformed(path: path, reason: "bytes follow the gzip stream (after \(expected))")
        }
    }

    /// Hands zlib the next slice of compressed input once it has used the last one.
    private func refillInput() {
        guard stream.pointee.avail_in == 0, remainingInput > 0 else { return }
        guard let base = input.baseAddress else { return }
        let offset = inputLength - remainingInput
        let slice = min(remainingInput, Int(UInt32.max))
        stream.pointee.next_in = base.advanced(by: offset).assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(slice)
        remainingInput -= slice
    }
}
