import Foundation
import Synchronization
import XCTest
import Network
@testable import Quantization
import Tensor

/// The image-folder tensor cache: a second load of the same files with the same transform decodes nothing and
/// gives the same tensor; a changed file or a damaged cache file means decoding again.
final class ImageTensorCacheTests: XCTestCase {
    private let config = ModelConfig(inputShape: [3, 32, 32], classes: 2, mean: [0.5], std: [0.25])

    private func makeFolder() throws -> (data: URL, cache: URL) {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/images")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-image-cache-\(UUID().uuidString)")
        for (directory, file) in [("train/a", "rgb.jpg"), ("train/a", "palette.png"), ("train/b", "cmyk.jpg"), ("train/b", "truncated.jpg")] {
            let dir = root.appendingPathComponent("data").appendingPathComponent(directory)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        return (root.appendingPathComponent("data"), root.appendingPathComponent("cache"))
    }

    /// Images decoded, counted from the loader's worker threads.
    private final class Counter: Sendable {
        let value = Mutex(0)
        func withLock<T>(_ body: (inout Int) -> T) -> T { value.withLock { body(&$0) } }
    }

    /// A source that counts decoded images.
    private func source(_ folder: (data: URL, cache: URL), decoded: Counter) throws -> DatasetSource {
        var source = try DatasetSource(argument: folder.data.path, skipBadImages: true)
        source.cache = ImageTensorFileCache(directory: folder.cache.path)
        source.progress = { _, _ in decoded.withLock { $0 += 1 } }
        return source
    }

    func testSecondLoadComesFromTheCache() throws {
        let folder = try makeFolder()
        let decoded = Counter()
        let first = try source(folder, decoded: decoded).load(.train, config: config)
        XCTAssertEqual(decoded.withLock { $0 }, 4)
        XCTAssertEqual(first.count, 3)
        let second = try source(folder, decoded: decoded).load(.train, config: config)
        XCTAssertEqual(decoded.withLock { $0 }, 4, "nothing decoded the second time")
        XCTAssertEqual(second, first)
        XCTAssertEqual(second.skippedFiles, first.skippedFiles, "the skipped files are remembered too")

        // Another transform is another entry.
        var other = config
        other.resize = 40
        _ = try source(folder, decoded: decoded).load(.train, config: other)
        XCTAssertEqual(decoded.withLock { $0 }, 8)
    }

    func testChangedFileOrDamagedCacheDecodesAgain() throws {
        let folder = try makeFolder()
        let decoded = Counter()
        let first = try source(folder, decoded: decoded).load(.train, config: config)
        let file = folder.data.appendingPathComponent("train/a/rgb.jpg").path
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: file)
        XCTAssertEqual(try source(folder, decoded: decoded).load(.train, config: config), first)
        XCTAssertEqual(decoded.withLock { $0 }, 8, "a touched file misses the cache")

        for name in try FileManager.default.contentsOfDirectory(atPath: folder.cache.path) {
            let path = folder.cache.appendingPathComponent(name).path
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count - 7).write(to: URL(fileURLWithPath: path))
        }
        XCTAssertEqual(try source(folder, decoded: decoded).load(.train, config: config), first)
        XCTAssertEqual(decoded.withLock { $0 }, 12, "a truncated cache file is ignored")
    }
}
