import Foundation
import XCTest
@testable import Engine

final class CheckpointTests: TinyRunTestCase {
    private var checkpointDir: String { tiny.directory.appendingPathComponent("ck").path }

    private func run(_ c: RunConfiguration, resume: Bool = false, stopAfterUnit: Int? = nil) -> SessionRunner.Outcome {
        let runner = SessionRunner(configuration: c, options: .init(checkpointDirectory: checkpointDir, resume: resume))
        runner.start()
        let events = EventCollector(runner)
        if let k = stopAfterUnit {
            events.waitFor { if case .unitFinished(let f) = $0 { f.unit == k } else { false } }
            runner.send(.stop)
        }
        return events.finish()
    }

    func testResumedRunEqualsAnUninterruptedOne() {
        let whole = run(tiny.configuration())
        try? FileManager.default.removeItem(atPath: checkpointDir)
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1) else { return XCTFail("expected a stop") }
        let resumed = run(tiny.configuration(), resume: true)
        XCTAssertEqual(resumed.withoutTimes, whole.withoutTimes)
    }

    /// A kill in the middle of a checkpoint write leaves a partial temporary file
    /// beside the last complete checkpoint; resuming must use the complete one.
    func testKillDuringACheckpointWriteLeavesTheLastCheckpointUsable() throws {
        let whole = run(tiny.configuration())
        try? FileManager.default.removeItem(atPath: checkpointDir)
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1) else { return XCTFail("expected a stop") }
        let complete = try Data(contentsOf: URL(fileURLWithPath: checkpointDir + "/checkpoint.json"))
        try complete.prefix(complete.count / 3).write(to: URL(fileURLWithPath: checkpointDir + "/.checkpoint.json.4242.tmp"))
        try Data("{\"t\": 0, \"type\": \"state_ch".utf8).write(to: URL(fileURLWithPath: checkpointDir + "/.events.jsonl.4242.tmp"))
        XCTAssertEqual(run(tiny.configuration(), resume: true).withoutTimes, whole.withoutTimes)
    }

    func testCorruptCheckpointIsRefused() throws {
        _ = run(tiny.configuration(), stopAfterUnit: 1)
        let path = checkpointDir + "/checkpoint.json"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        guard case .failed(let text) = run(tiny.configuration(), resume: true) else { return XCTFail() }
        XCTAssertTrue(text.contains("corrupt checkpoint"), text)
    }

    func testCheckpointOfOtherDataOrSettingsIsRefused() {
        _ = run(tiny.configuration(), stopAfterUnit: 1)
        var otherData = tiny.configuration()
        otherData.calibrationSize = 32
        guard case .failed(let a) = run(otherData, resume: true) else { return XCTFail() }
        XCTAssertTrue(a.contains("other calibration data"), a)
        var otherBits = tiny.configuration()
        otherBits.wbits = 2
        guard case .failed(let b) = run(otherBits, resume: true) else { return XCTFail() }
        XCTAssertTrue(b.contains("other settings"), b)
    }

    func testCheckpointOfAnotherModelIsRefused() throws {
        _ = run(tiny.configuration(), stopAfterUnit: 1)
        let model = URL(fileURLWithPath: tiny.modelPath)
        var bytes = try Data(contentsOf: model)
        bytes.append(contentsOf: [0xA0, 0x06, 0x01])  // an unknown field 100: same graph, another file
        try bytes.write(to: model)
        guard case .failed(let text) = run(tiny.configuration(), resume: true) else { return XCTFail() }
        XCTAssertTrue(text.contains("another model"), text)
    }
}
