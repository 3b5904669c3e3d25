import Foundation
import Synchronization
import TestFixtures
import XCTest
@testable import Network
import Tensor

/// Image folders: decoding with libjpeg/libpng, PIL's bilinear resize and
/// torchvision's evaluation transform, checked against tensors PIL + NumPy made
/// of the same files (scripts/make_image_fixtures.py), and the folder layouts.
final class ImageFolderTests: XCTestCase {
    private static let mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225]
    /// The fixtures' model: 3×32×32, so the default transform is resize 37, centre crop 32.
    private let config = ModelConfig(inputShape: [3, 32, 32], classes: 3, mean: ImageFolderTests.mean, std: ImageFolderTests.std)

    private func image(_ name: String) -> String { fixturePath("images/" + name) }

    private func transformed(_ path: String, config: ModelConfig) throws -> [Float] {
        let transform = ImageTransform(config: config)
        var out = [Float](repeating: .nan, count: transform.sampleSize)
        let decoded = try ImageFile.decode(path: path)
        out.withUnsafeMutableBufferPointer { transform.apply(decoded, into: $0) }
        return out
    }

    /// Every colour mode agrees with PIL's `convert("RGB")` + `resize(BILINEAR)` + crop + normalise within one
    /// 8-bit level (1/255/std after normalisation).
    func testPixelsMatchPILWithinOneLevel() throws {
        let names = ["rgb.jpg", "gray.jpg", "cmyk.jpg", "palette.png", "rgba.png", "gray16.png", "rgb16.png", "gray.png",
                     "exif_rotated.jpg", "tiny.png", "large.jpg", "wide.png"]
        for name in names {
            let expected = try NPYArray(path: image(name + ".expected.npy"))
            XCTAssertEqual(expected.shape, [3, 32, 32], name)
            let actual = try transformed(image(name), config: config)
            var worst = 0.0
            for c in 0..<3 {
                for i in 0..<(32 * 32) {
                    let levels = abs(Double(actual[c * 1024 + i]) - expected.values[c * 1024 + i]) * Self.std[c] * 255
                    worst = max(worst, levels)
                }
            }
            XCTAssertLessThanOrEqual(worst, 1.0 + 1e-3, "\(name): off by \(worst) levels of 255 from PIL")
        }
    }

    /// torchvision (through PIL) ignores EXIF orientation, so a file tagged "rotate 90°" keeps its stored shape.
    func testEXIFOrientationIsNotApplied() throws {
        let decoded = try ImageFile.decode(path: image("exif_rotated.jpg"))
        XCTAssertEqual([decoded.width, decoded.height], [60, 40])
    }

    func testDefaultResizeFollowsTheModelInputSize() {
        XCTAssertEqual(ImageTransform.defaultResize(height: 224, width: 224), 256)
        XCTAssertEqual(ImageTransform.defaultResize(height: 32, width: 32), 37)
        let transform = ImageTransform(config: config)
        XCTAssertEqual(transform.resizedSize(width: 1200, height: 900).width, 49)  // int(37 · 1200 / 900)
        XCTAssertEqual(transform.resizedSize(width: 1200, height: 900).height, 37)
    }

    /// Broken and hostile files: one error naming the file; a header claiming 100000×100000 is refused
    /// before any pixel memory is allocated.
    func testBrokenFilesAreErrorsNamingTheFile() {
        for name in ["truncated.jpg", "not_an_image.jpg", "huge_header.png"] {
            XCTAssertThrowsError(try ImageFile.decode(path: image(name)), name) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(name), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
        XCTAssertThrowsError(try ImageFile.decode(path: image("huge_header.png"))) { error in
            guard case .untrustedSize = error as? DatasetError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("100000×100000"), "\(error)")
        }
    }

    /// Writes `train/<class>/…` and `val/<class>/…` from fixture files.
    private func makeImageFolder(badFile: Bool) throws -> URL {
        let root = try temporaryDirectory()
        let layout: [(String, String, String)] = [
            ("train/dog", "b.png", "wide.png"), ("train/cat", "z.jpg", "rgb.jpg"), ("train/cat", "a.jpg", "gray.jpg"),
            ("train/bird", "1.png", "tiny.png"), ("val/cat", "v.png", "palette.png"), ("val/dog", "w.jpg", "cmyk.jpg"),
            ("train/dog", "notes.txt", "rgb.jpg"),  // not an image extension: ignored as torchvision does
        ]
        for (directory, name, source) in layout {
            let dir = root.appendingPathComponent(directory)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: image(source), toPath: dir.appendingPathComponent(name).path)
        }
        if badFile {
            try FileManager.default.copyItem(atPath: image("truncated.jpg"), toPath: root.appendingPathComponent("train/cat/m.jpg").path)
        }
        return root
    }

    func testImageFolderClassesAreSortedDirectoriesAndFilesSortedPaths() throws {
        let root = try makeImageFolder(badFile: false)
        let source = try DatasetSource(argument: root.path)
        XCTAssertEqual(source.format, .images)
        let index = try ImageFolderIndex(directory: root.path, split: .train)
        XCTAssertEqual(index.classes, ["bird", "cat", "dog"])
        XCTAssertEqual(index.entries.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["1.png", "a.jpg", "z.jpg", "b.png"])
        let train = try source.load(.train, config: config)
        XCTAssertEqual(train.labels, [0, 1, 1, 2])
        XCTAssertEqual(train.images.shape, [4, 3, 32, 32])
        // Each image's slice is the image transformed alone.
        XCTAssertEqual(Array(train.images.data[(2 * 3072)..<(3 * 3072)]), try transformed(image("rgb.jpg"), config: config))
        let val = try source.load(.test, config: config)
        XCTAssertEqual(val.labels, [1, 2])  // val/ uses train/'s classes
        XCTAssertEqual(try source.calibration(count: 2, config: config).labels, [0, 1], "a subset spreads over the list")
    }

    func testBadImageStopsTheLoadUnlessSkipped() throws {
        let root = try makeImageFolder(badFile: true)
        XCTAssertThrowsError(try DatasetSource(argument: root.path).load(.train, config: config)) { error in
            XCTAssertTrue("\(error)".contains("m.jpg"), "\(error)")
        }
        let done = Mutex<[Int]>([])
        var source = try DatasetSource(argument: root.path, skipBadImages: true)
        source.progress = { finished, total in done.withLock { $0.append(finished); XCTAssertEqual(total, 5) } }
        let train = try source.load(.train, config: config)
        XCTAssertEqual(train.count, 4)
        XCTAssertEqual(train.skippedFiles.map { URL(fileURLWithPath: $0).lastPathComponent }, ["m.jpg"])
        XCTAssertEqual(done.withLock { $0.sorted() }, [1, 2, 3, 4, 5])
    }

    func testListFilesGivePathsRelativeToTheDirectoryAndLabels() throws {
        let root = try temporaryDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("pics dir"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: image("rgb.jpg"), toPath: root.appendingPathComponent("pics dir/x.jpg").path)
        try FileManager.default.copyItem(atPath: image("gray.png"), toPath: root.appendingPathComponent("y.png").path)
        try "# path label\npics dir/x.jpg 2\n\ny.png 0\n".write(to: root.appendingPathComponent("val.txt"), atomically: true, encoding: .utf8)
        let val = try DatasetSource(argument: root.path).load(.test, config: config)
        XCTAssertEqual(val.labels, [2, 0])
        try "y.png 7\n".write(to: root.appendingPathComponent("val.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DatasetSource(argument: root.path).load(.test, config: config)) { error in
            XCTAssertTrue("\(error)".contains("label 7 outside 0..<3"), "\(error)")
        }
    }

    /// A 1-channel model gets PIL's luma; `channel_order: bgr` swaps the planes.
    func testGrayscaleAndBGRModels() throws {
        var bgr = config
        bgr.channelOrder = .bgr
        bgr.mean = [0]; bgr.std = [1]
        var rgb = bgr
        rgb.channelOrder = .rgb
        let a = try transformed(image("rgb.jpg"), config: rgb), b = try transformed(image("rgb.jpg"), config: bgr)
        XCTAssertEqual(Array(a[0..<1024]), Array(b[2048..<3072]))
        let gray = ModelConfig(inputShape: [1, 32, 32], classes: 3, mean: [0], std: [1])
        let luma = try transformed(image("gray.jpg"), config: gray)
        let planes = try transformed(image("gray.jpg"), config: rgb)
        XCTAssertEqual(luma, Array(planes[0..<1024]), "luma of a gray image is the gray value")
    }

    func testConfigReadsImageFields() throws {
        let json = #"{"input_shape": [3, 224, 224], "classes": 1000, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "resize": 232, "channel_order": "bgr"}"#
        let config = try ModelConfig.decode(data: Data(json.utf8))
        XCTAssertEqual(config.resize, 232)
        XCTAssertEqual(config.channelOrder, .bgr)
        XCTAssertThrowsError(try ModelConfig.decode(data: Data(json.replacingOccurrences(of: "232", with: "-3").utf8)))
    }
}
