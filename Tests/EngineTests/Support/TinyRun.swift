import Foundation
import XCTest
@testable import Engine

/// A tiny ResNet fixture (16×16 input, 10 classes) with a generated NPY dataset
/// in a fresh temporary directory, and helpers to drive a session over it.
struct TinyRun {
    let directory: URL
    var modelPath: String { directory.appendingPathComponent("model.onnx").path }

    static func make(model fixture: String = "tiny_resnet.onnx") throws -> TinyRun {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brecq-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture), to: dir.appendingPathComponent("model.onnx"))
        let config = #"{"input_shape": [1, 16, 16], "classes": 10, "mean": [0.5], "std": [0.25]}"#
        try config.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        var random = SystemRandomNumberGenerator.seeded(7)
        for (split, n) in [("train", 96), ("test", 40)] {
            let pixels = (0..<(n * 256)).map { _ in UInt8.random(in: 0...255, using: &random) }
            try NPY.write(uint8: pixels, shape: [n, 16, 16], to: dir.appendingPathComponent("\(split)_images.npy"))
            let labels = (0..<n).map { _ in Int64.random(in: 0..<10, using: &random) }
            try NPY.write(int64: labels, to: dir.appendingPathComponent("\(split)_labels.npy"))
        }
        return TinyRun(directory: dir)
    }

    func configuration(wbits: Int = 3, abits: Int = 4) -> RunConfiguration {
        var c = RunConfiguration(modelPath: modelPath, data: directory.path)
        c.wbits = wbits
        c.abits = abits
        c.iterations = 30
        c.activationIterations = 10
        c.calibrationSize = 64
        c.evaluationImages = 40
        c.statsInterval = 1
        c.hyperparameters.batchSize = 16
        return c
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Drains a runner until a predicate holds on some event, collecting everything seen.
final class EventCollector {
    let runner: SessionRunner
    private(set) var records: [EventRecord] = []

    init(_ runner: SessionRunner) { self.runner = runner }

    /// Polls until `condition` holds for a newly drained record (or the run ends); returns that record.
    @discardableResult
    func waitFor(timeout: Double = 300, _ condition: (EngineEvent) -> Bool) -> EventRecord? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let wasRunning = runner.isRunning
            for r in runner.drainEvents() {
                records.append(r)
                if condition(r.event) { return r }
            }
            if !wasRunning { return nil }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return nil
    }

    func finish() -> SessionRunner.Outcome {
        let outcome = runner.wait()
        records += runner.drainEvents()
        return outcome
    }

    var events: [EngineEvent] { records.map(\.event) }
}

enum NPY {
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

extension SystemRandomNumberGenerator {
    /// Fixture data must be the same on every run: a tiny seeded generator.
    static func seeded(_ seed: UInt64) -> SeededGenerator { SeededGenerator(state: seed) }
}

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
