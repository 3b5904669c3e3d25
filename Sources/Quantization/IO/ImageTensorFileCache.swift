import Foundation
import Network
import Tensor

/// Transformed image-folder tensors on disk, one file per cache key's SHA-256,
/// in `$XDG_CACHE_HOME/brecq/images` (else `~/.cache/brecq/images`), written
/// with `AtomicFile`. A file is read as data from anyone: never through a link,
/// its sizes checked against the expected sample shape and its own length
/// before anything is allocated, and a file that does not hold what it claims
/// is ignored (decoded again and overwritten).
///
/// Layout: `BRECQ-IMAGES-1\n`, the key's digest and `\n`, five little-endian
/// Int64 (count, C, H, W, bytes of the skipped-file list), the labels as
/// Int64, the pixels as Float32, the skipped files' paths joined by `\n`.
public struct ImageTensorFileCache: ImageTensorCache, Equatable {
    public var directory: String

    public init(directory: String = Self.defaultDirectory) { self.directory = directory }

    public static var defaultDirectory: String {
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return home + "/brecq/images"
    }

    private static let magic = Data("BRECQ-IMAGES-1\n".utf8)

    public func path(key: String) -> String { directory + "/" + SHA256.hex(of: Data(key.utf8)) + ".bin" }

    public func load(key: String, sampleShape: [Int]) -> LabeledImages? {
        let path = path(key: key)
        guard RegularFile.exists(path), let data = try? RegularFile.read(path, what: "a cached image tensor", symbolicLinks: .refused) else { return nil }
        return try? Self.decode(data, digest: SHA256.hex(of: Data(key.utf8)), sampleShape: sampleShape)
    }

    public func store(_ images: LabeledImages, key: String) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(Self.encode(images, digest: SHA256.hex(of: Data(key.utf8))), to: path(key: key))
        } catch {
            // Only the next run's head start is lost; the images in hand are correct.
        }
    }

    static func encode(_ images: LabeledImages, digest: String) -> Data {
        var data = magic
        data.append(Data((digest + "\n").utf8))
        let skipped = Data(images.skippedFiles.joined(separator: "\n").utf8)
        for value in [images.count] + images.sampleShape + [skipped.count] { withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) } }
        for label in images.labels { withUnsafeBytes(of: Int64(label).littleEndian) { data.append(contentsOf: $0) } }
        images.images.data.withUnsafeBytes { data.append(contentsOf: $0) }  // Float32 in host (little-endian x86/arm) order
        data.append(skipped)
        return data
    }

    struct Invalid: Error {}

    static func decode(_ data: Data, digest: String, sampleShape: [Int]) throws -> LabeledImages {
        let bytes = [UInt8](data)
        var offset = 0
        func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - offset else { throw Invalid() }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }
        func int64() throws -> Int {
            let raw = try take(8)
            let value = raw.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard let int = Int(exactly: Int64(bitPattern: value)), int >= 0 else { throw Invalid() }
            return int
        }
        guard try take(magic.count).elementsEqual(magic), try take(digest.utf8.count + 1).elementsEqual(Array((digest + "\n").utf8)) else {
            throw Invalid()
        }
        let count = try int64()
        guard try [int64(), int64(), int64()] == sampleShape else { throw Invalid() }
        let skippedLength = try int64()
        let sample = try CheckedSize.product(sampleShape, "cached sample")
        let values = try CheckedSize.multiply(count, sample, "cached images")
        let payload = try CheckedSize.add(try CheckedSize.multiply(count, 8, "cached labels"),
                                          try CheckedSize.multiply(values, 4, "cached pixels"), "cached payload")
        guard try CheckedSize.add(payload, skippedLength, "cache file") == bytes.count - offset else { throw Invalid() }
        var labels = [Int]()
        labels.reserveCapacity(count)
        for _ in 0..<count { labels.append(try int64()) }
        let pixels = try take(values * 4)
        let floats = pixels.withUnsafeBytes { raw in (0..<values).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        let skippedText = String(decoding: try take(skippedLength), as: UTF8.self)
        var images = LabeledImages(images: Tensor(shape: [count] + sampleShape, data: floats), labels: labels)
        images.skippedFiles = skippedText.isEmpty ? [] : skippedText.components(separatedBy: "\n")
        return images
    }
}
