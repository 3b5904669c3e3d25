import Foundation
import Tensor

/// A temporary directory holding a copy of a fixture model, its config.json and
/// a generated NPY dataset (uint8 16×16 images, int64 labels) — everything a
/// `brecq` run needs, removed again by `remove()`.
public struct TinyModelDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }
    public var model: String { url.appendingPathComponent("model.onnx").path }

    /// `Tests/Fixtures`: the committed ONNX fixtures (see scripts/make_network_fixtures.py).
    public static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    public static func make(fixture: String = "tiny_resnet.onnx", train: Int = 128, test: Int = 100) throws -> TinyModelDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-fixture-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture),
                                         to: url.appendingPathComponent("model.onnx"))
        let config = #"{"input_shape": [1, 16, 16], "classes": 10, "mean": [0.5], "std": [0.25]}"#
        try config.write(to: url.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        var random = SplitMix64(seed: 7)
        for (split, count) in [("train", train), ("test", test)] {
            let pixels = (0..<(count * 256)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try NPYFile.write(uint8: pixels, shape: [count, 16, 16], to: url.appendingPathComponent("\(split)_images.npy"))
            let labels = (0..<count).map { _ in Int64(random.next() % 10) }
            try NPYFile.write(int64: labels, to: url.appendingPathComponent("\(split)_labels.npy"))
        }
        return TinyModelDirectory(url: url)
    }

    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
