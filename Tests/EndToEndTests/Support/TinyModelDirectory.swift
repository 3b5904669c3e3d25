import Foundation

/// A temporary directory holding a copy of a fixture model, its config.json and
/// a generated NPY dataset (uint8 16×16 images, int64 labels) — everything a
/// `brecq` run needs, removed again by `remove()`.
struct TinyModelDirectory {
    let url: URL
    var path: String { url.path }
    var model: String { url.appendingPathComponent("model.onnx").path }

    static func make(fixture: String = "tiny_resnet.onnx", train: Int = 128, test: Int = 100) throws -> TinyModelDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: BrecqBinary.fixtures.appendingPathComponent(fixture),
                                         to: url.appendingPathComponent("model.onnx"))
        let config = #"{"input_shape": [1, 16, 16], "classes": 10, "mean": [0.5], "std": [0.25]}"#
        try config.write(to: url.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        var random = SplitMix64(state: 7)
        for (split, count) in [("train", train), ("test", test)] {
            let pixels = (0..<(count * 256)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            try NPYFile.write(uint8: pixels, shape: [count, 16, 16], to: url.appendingPathComponent("\(split)_images.npy"))
            let labels = (0..<count).map { _ in Int64(random.next() % 10) }
            try NPYFile.write(int64: labels, to: url.appendingPathComponent("\(split)_labels.npy"))
        }
        return TinyModelDirectory(url: url)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Version 1.0 NPY files, little-endian, C order.
enum NPYFile {
    static func write(uint8 values: [UInt8], shape: [Int], to url: URL) throws {
        try write(descr: "|u1", shape: shape, body: Data(values), to: url)
    }

    static func write(int64 values: [Int64], to url: URL) throws {
        try write(descr: "<i8", shape: [values.count], body: values.withUnsafeBytes { Data($0) }, to: url)
    }

    private static func write(descr: String, shape: [Int], body: Data, to url: URL) throws {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(body)
        try data.write(to: url)
    }
}

/// Fixture data must be the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension TinyModelDirectory {
    /// `brecq quantize` on this directory with few iterations (a few seconds in release).
    func quantizeArguments(iterations: Int = 200, extra: [String] = []) -> [String] {
        ["quantize", "--model", model, "--data", path, "--wbits", "4", "--abits", "4",
         "--iters", String(iterations), "--act-iters", "20", "--calib-size", "128", "--batch-size", "16",
         "--eval-images", "100", "--seed", "3"] + extra
    }

    /// Runs a short quantization that records its events; returns the log's path.
    func record(iterations: Int = 100) throws -> String {
        let events = file("recorded.jsonl")
        let result = try CommandRun.brecq(quantizeArguments(iterations: iterations, extra: [
            "--events", events, "--checkpoint", file("recording-ck")]))
        guard result.status == 0 else { throw TestFailure("recording run failed (\(result.status)):\n\(result.stderr)") }
        return events
    }
}

/// JSON Lines of an event log, each line an object.
func readEventLog(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").enumerated().map { index, line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("\(path):\(index + 1): not a JSON object")
        }
        return object
    }
}
