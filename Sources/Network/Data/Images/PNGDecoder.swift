import CPNG
import Foundation

/// PNG files through libpng's simplified `png_image` API, which reports errors
/// in `png_image.message` and a return code (its longjmp stays inside libpng).
///
/// Colour conversion follows PIL's `convert("RGB")`: alpha and `tRNS` are
/// dropped without compositing, palettes are looked up, grayscale replicated;
/// 16-bit RGB keeps the high byte and 16-bit grayscale is clipped to 255 (PIL
/// opens it as mode `I;16`, whose conversion clips). A `gAMA` or `iCCP` chunk
/// is applied by libpng but ignored by PIL: such files may differ.
enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func decode(_ data: Data, path: String) throws(DatasetError) -> RGBImage {
        let result: Result<RGBImage, DatasetError> = data.withUnsafeBytes { bytes in
            do throws(DatasetError) {
                return .success(try decode(bytes, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws(DatasetError) -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
            throw .malformed(path: path, reason: "not a readable PNG: \(message(&image))")
        }
        let width = Int(image.width), height = Int(image.height)
        let native = image.format
        let sixteenBit = native & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
        let color = native & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let alpha = native & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        if sixteenBit && !alpha {
            // 16-bit without alpha: read the samples unchanged (a file without
            // gAMA is taken as linear, as is the linear output) and reduce as PIL does.
            let channels = color ? 3 : 1
            let count: Int
            do throws(DatasetError) {
                count = try ImageDimensions.checkedBytes(width: width, height: height, channels: channels, bytesPerSample: 2, path: path)
            } catch {
                png_image_free(&image)
                throw error
            }
            // PNG_FORMAT_LINEAR_RGB / _Y (composite macros Swift does not import).
            image.format = UInt32(PNG_FORMAT_FLAG_LINEAR) | (color ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0)
            var samples = [UInt16](repeating: 0, count: count)
            let ok = samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            guard ok != 0 else { throw .malformed(path: path, reason: "broken PNG: \(message(&image))") }
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for i in 0..<(width * height) {
                if color {
                    for c in 0..<3 { pixels[3 * i + c] = UInt8(samples[3 * i + c] >> 8) }
                } else {
                    let v = UInt8(min(samples[i], 255))
                    pixels[3 * i] = v; pixels[3 * i + 1] = v; pixels[3 * i + 2] = v
                }
            }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
        let count: Int
        do throws(DatasetError) {
            count = try ImageDimensions.checkedBytes(width: width, height: height, channels: 4, path: path)
        } catch {
            png_image_free(&image)
            throw error
        }
        // RGBA keeps colour values un-composited, so dropping alpha is PIL's conversion.
        image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)  // PNG_FORMAT_RGBA
        // 16-bit with alpha: libpng reduces to 8 bits (≈ PIL's high byte, ±1) when told the samples are sRGB.
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        var rgba = [UInt8](repeating: 0, count: count)
        let ok = rgba.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else { throw .malformed(path: path, reason: "broken PNG: \(message(&image))") }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = rgba[4 * i]; pixels[3 * i + 1] = rgba[4 * i + 1]; pixels[3 * i + 2] = rgba[4 * i + 2]
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
