import Foundation
import XCTest
@testable import Engine
import TestFixtures

/// A tiny ResNet fixture (16×16 input, 10 classes) with a generated NPY dataset
/// in a fresh temporary directory, and helpers to drive a session over it.
struct TinyRun {
    let files: TinyModelDirectory
    var directory: URL { files.url }
    var modelPath: String { files.model }

    /// Train and test images: 64 calibrate, 40 evaluate.
    static let datasetSize = (train: 96, test: 40)

    static func make() throws -> TinyRun {
        TinyRun(files: try TinyModelDirectory.make(train: datasetSize.train, test: datasetSize.test))
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

    func remove() { files.remove() }
}

/// Drains a runner until a predicate holds on some event, collecting everything seen.
final class EventCollector {
    let runner: SessionRunner
    private(set) var records: [EventRecord] = []
    /// Records before this index have been looked at by a `waitFor`.
    private var checked = 0

    init(_ runner: SessionRunner) { self.runner = runner }

    /// Polls until `condition` holds for a record not yet looked at (or the run ends); returns that record.
    /// Records drained with the match but after it are kept for the next call and for `events`.
    @discardableResult
    func waitFor(timeout: Double = 300, _ condition: (EngineEvent) -> Bool) -> EventRecord? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let wasRunning = runner.isRunning
            records += runner.drainEvents()
            while checked < records.count {
                let r = records[checked]
                checked += 1
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
