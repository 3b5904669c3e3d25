import CImageDecoding
import Foundation

/// JPEG files through libjpeg-turbo. The C shim keeps libjpeg's longjmp error
/// handling inside C; a failure comes back as a message and becomes a
/// `DatasetError` naming the file.
enum JPEGDecoder {
    static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    static func decode(_ data: Data, path: String) throws(DatasetError) -> RGBImage {
        var message = [CChar](repeating: 0, count: 256)
        var header = brecq_jpeg_header()
        let status = data.withUnsafeBytes { bytes in
            brecq_jpeg_read_header(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, &header, &message, message.count)
        }
        guard status == 0 else { throw .malformed(path: path, reason: "not a readable JPEG: \(text(message))") }
        let size = try ImageDimensions.checkedBytes(width: header.width, height: header.height, channels: 3, path: path)
        var pixels = [UInt8](repeating: 0, count: size)
        let decoded = data.withUnsafeBytes { bytes in
            pixels.withUnsafeMutableBufferPointer { out in
                brecq_jpeg_decode_rgb(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, out.baseAddress, out.count,
                                      &message, message.count)
            }
        }
        guard decoded == 0 else { throw .malformed(path: path, reason: "broken JPEG: \(text(message))") }
        return RGBImage(width: Int(header.width), height: Int(header.height), pixels: pixels)
    }

    private static func text(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
