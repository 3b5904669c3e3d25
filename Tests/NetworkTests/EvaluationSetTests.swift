import Foundation
import Synchronization
import TestFixtures
import XCTest
@testable import Network
import Tensor

/// The test split decoded a batch at a time: the same floats, labels and
/// skipped files as the split loaded whole, and no image bytes kept between
/// batches however many images there are.
final class EvaluationSetTests: XCTestCase {
    private let config = ModelConfig(inputShape: [3, 32, 32], classes: 3, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    private static let files = ["rgb.jpg", "gray.jpg", "cmyk.jpg", "palette.png", "rgba.png", "gray16.png", "rgb16.png",
                                "gray.png", "exif_rotated.jpg", "tiny.png", "large.jpg", "wide.png"]

    /// `val/<class>/…` with the fixture files spread over three classes, and `truncated.jpg` in class 1 when `badFile`.
    private func makeFolder(badFile: Bool = false) throws -> URL {
        let root = try temporaryDirectory()
        var layout = Self.files.enumerated().map { ("val/c\($0.offset % 3)", "\($0.offset).\($0.element)", $0.element) }
        if badFile { layout.insert(("val/c1", "4b.jpg", "truncated.jpg"), at: 5) }
        for (directory, name, source) in layout {
            let dir = root.appendingPathComponent(directory)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: fixturePath("images/" + source), toPath: dir.appendingPathComponent(name).path)
        }
        return root
    }

    func testDecodedPerBatchGivesTheHeldImagesBitForBit() throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try DatasetSource(argument: root.path)
        for limit in [nil, 7] as [Int?] {
            let whole = try source.load(.test, config: config, limit: limit)
            let streamed = try source.evaluationSet(config: config, limit: limit, heldLimitBytes: 0)
            let held = try source.evaluationSet(config: config, limit: limit)
            XCTAssertTrue(streamed.isDecodedPerBatch)
            XCTAssertFalse(held.isDecodedPerBatch, "12 images of 3×32×32 are far under the default limit")
            XCTAssertEqual(streamed.count, limit ?? 12)
            for set in [streamed, held] {
                XCTAssertEqual(set.labels, whole.labels)
                XCTAssertEqual(set.sampleShape, [3, 32, 32])
                XCTAssertEqual(try set.images(0..<set.count), whole.images)
                XCTAssertEqual(try set.images(2..<5), whole.images(2..<5))
                XCTAssertEqual(try set.images(at: [4, 0, 4]), whole.images(at: [4, 0, 4]))
                XCTAssertEqual(try set.prefix(3), LabeledImages(images: whole.images(0..<3), labels: Array(whole.labels[0..<3])))
                XCTAssertEqual(try set.images(3..<3).shape, [0, 3, 32, 32])
            }
        }
    }

    /// What stays in memory between batches: the held tensor grows with the
    /// number of images, the per-batch set keeps no image bytes at all.
    func testPerBatchSetHoldsNoImageBytes() throws {
        let root = try makeFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try DatasetSource(argument: root.path)
        for n in [3, 12] {
            XCTAssertEqual(try source.evaluationSet(config: config, limit: n).heldImageBytes, n * 3 * 32 * 32 * 4)
            XCTAssertEqual(try source.evaluationSet(config: config, limit: n, heldLimitBytes: 0).heldImageBytes, 0)
        }
        // The limit is on the decoded size: exactly at it the split is still held.
        XCTAssertFalse(try source.evaluationSet(config: config, limit: 4, heldLimitBytes: 4 * 3 * 32 * 32 * 4).isDecodedPerBatch)
        XCTAssertTrue(try source.evaluationSet(config: config, limit: 4, heldLimitBytes: 4 * 3 * 32 * 32 * 4 - 1).isDecodedPerBatch)
        // 10 000 ImageNet images (6 GB in fp32) are never held by default.
        XCTAssertGreaterThan(10_000 * 3 * 224 * 224 * 4, EvaluationSet.heldLimitBytes)
    }

    /// Skipping is settled before any evaluation, as for the held split; without it a bad file is an error
    /// naming it when its batch is read, and the batches before it still read.
    func testBadFileIsSkippedUpFrontOrAnErrorWhenItsBatchIsRead() throws {
        let root = try makeFolder(badFile: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var skipping = try DatasetSource(argument: root.path, skipBadImages: true)
        let progress = ProgressLog()
        skipping.progress = { done, total in progress.record(done, total) }
        let whole = try skipping.load(.test, config: config)
        let streamed = try skipping.evaluationSet(config: config, heldLimitBytes: 0)
        XCTAssertEqual(streamed.skippedFiles, whole.skippedFiles)
        XCTAssertEqual(streamed.skippedFiles.map { URL(fileURLWithPath: $0).lastPathComponent }, ["4b.jpg"])
        XCTAssertEqual(streamed.labels, whole.labels)
        XCTAssertEqual(try streamed.images(0..<streamed.count), whole.images)
        XCTAssertEqual(progress.totals, [13], "progress counts every file of the split")

        let strict = try DatasetSource(argument: root.path).evaluationSet(config: config, heldLimitBytes: 0)
        XCTAssertEqual(strict.count, 13)
        // Class c0's four files come first and are all good.
        XCTAssertEqual(try strict.images(0..<4), whole.images(0..<4))
        XCTAssertThrowsError(try strict.images(0..<strict.count)) { error in
            XCTAssertTrue("\(error)".contains("4b.jpg"), "\(error)")
        }
    }

    /// Progress callbacks come from worker threads.
    private final class ProgressLog: Sendable {
        private let calls = Mutex<[(Int, Int)]>([])
        func record(_ done: Int, _ total: Int) { calls.withLock { $0.append((done, total)) } }
        var totals: Set<Int> { Set(calls.withLock { $0.map(\.1) }) }
    }
}
