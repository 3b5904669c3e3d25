import Foundation
import Tensor

/// One image file read and decoded to RGB, the format chosen by its first
/// bytes (not its extension, which users get wrong).
public enum ImageFile {
    /// Extensions an image folder is scanned for (case-insensitive), as torchvision's `IMG_EXTENSIONS` minus the
    /// formats this build cannot decode.
    public static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    public static func decode(path: String) throws(DatasetError) -> RGBImage {
        let data: Data
        do { data = try RegularFile.read(path, what: "an image (JPEG or PNG)", symbolicLinks: .followed) } catch { throw DatasetError(error) }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws(DatasetError) -> RGBImage {
        if data.starts(with: JPEGDecoder.signature) { return try JPEGDecoder.decode(data, path: path) }
        if data.starts(with: PNGDecoder.signature) { return try PNGDecoder.decode(data, path: path) }
        throw .malformed(path: path, reason: data.isEmpty ? "empty file, not an image" : "neither a JPEG nor a PNG file")
    }
}
