import Foundation
import XCTest
@testable import Engine
import Tensor

final class CheckpointTests: TinyRunTestCase {
    private var checkpointDir: String { tiny.directory.appendingPathComponent("ck").path }

    private func run(_ c: RunConfiguration, resume: Bool = false, stopAfterUnit: Int? = nil) -> SessionRunner.Outcome {
        runSession(c, checkpoint: checkpointDir, resume: resume, stopAfterUnit: stopAfterUnit).outcome
    }

    func testResumedRunEqualsAnUninterruptedOne() {
        let whole = run(tiny.configuration())
        try? FileManager.default.removeItem(atPath: checkpointDir)
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1) else { return XCTFail("expected a stop") }
        let resumed = run(tiny.configuration(), resume: true)
        XCTAssertEqual(resumed.withoutTimes, whole.withoutTimes)
    }

    /// With half-precision caches too: the resumed session rebuilds its fp16
    /// streams from the images exactly as the uninterrupted one built them.
    func testResumedRunEqualsAnUninterruptedOneWithHalfPrecisionCaches() {
        var c = tiny.configuration()
        c.cachePrecision = .fp16
        let whole = run(c)
        guard case .finished(let summary) = whole else { return XCTFail("\(whole)") }
        XCTAssertEqual(summary.activationCache, .fp16)
        try? FileManager.default.removeItem(atPath: checkpointDir)
        guard case .stopped = run(c, stopAfterUnit: 1) else { return XCTFail("expected a stop") }
        XCTAssertEqual(run(c, resume: true).withoutTimes, whole.withoutTimes)
        try? FileManager.default.removeItem(atPath: checkpointDir)
        guard case .finished(let full) = run(tiny.configuration()) else { return XCTFail("the fp32 run did not finish") }
        XCTAssertNotEqual(full.units.map(\.lossAfter), summary.units.map(\.lossAfter), "fp16 really changed the run")
    }

    /// A kill in the middle of a checkpoint write leaves a partial temporary file
    /// beside the last complete checkpoint; resuming must use the complete one.
    func testKillDuringACheckpointWriteLeavesTheLastCheckpointUsable() throws {
        let whole = run(tiny.configuration())
        try? FileManager.default.removeItem(atPath: checkpointDir)
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1) else { return XCTFail("expected a stop") }
        let complete = try Data(contentsOf: URL(fileURLWithPath: checkpointDir + "/checkpoint.json"))
        let partialCheckpoint = checkpointDir + "/.checkpoint.json.00000000deadbeef.tmp"
        try complete.prefix(complete.count / 3).write(to: URL(fileURLWithPath: partialCheckpoint))
        try Data("{\"t\": 0, \"type\": \"state_ch".utf8).write(to: URL(fileURLWithPath: checkpointDir + "/.events.jsonl.00000000deadbeef.tmp"))
        XCTAssertEqual(run(tiny.configuration(), resume: true).withoutTimes, whole.withoutTimes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partialCheckpoint), "stale temporary files are removed")
    }

    /// A save writes the recording, the digest file listing the old and new
    /// digests, the checkpoint, then the digest file with the new one alone. A
    /// kill between any two of these leaves a checkpoint that resumes to the
    /// uninterrupted result: each state is put together from the files of the
    /// checkpoints after units 2 and 3.
    func testAKillBetweenAnyTwoWritesOfASaveLeavesAResumableCheckpoint() throws {
        let whole = run(tiny.configuration())
        try? FileManager.default.removeItem(atPath: checkpointDir)
        let files = CheckpointFiles(directory: checkpointDir)
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1) else { return XCTFail("expected a stop") }
        let old = try files.snapshot()
        guard case .stopped = run(tiny.configuration(), resume: true, stopAfterUnit: 2) else { return XCTFail("expected a stop") }
        let new = try files.snapshot()
        XCTAssertTrue(new.events.starts(with: old.events), "a later recording starts with the bytes an earlier checkpoint covers")
        let both = old.digest + new.digest
        let killed: [(String, CheckpointFiles.Snapshot)] = [
            ("after the recording", .init(checkpoint: old.checkpoint, events: new.events, digest: old.digest)),
            ("after the first digest file", .init(checkpoint: old.checkpoint, events: new.events, digest: both)),
            ("after the checkpoint", .init(checkpoint: new.checkpoint, events: new.events, digest: both)),
        ]
        for (moment, state) in killed {
            try files.restore(checkpoint: state.checkpoint, events: state.events, digest: state.digest)
            XCTAssertEqual(run(tiny.configuration(), resume: true).withoutTimes, whole.withoutTimes, "killed \(moment)")
        }
    }

    func testCorruptCheckpointIsRefused() throws {
        _ = run(tiny.configuration(), stopAfterUnit: 1)
        let path = checkpointDir + "/checkpoint.json"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        guard case .failed(let text) = run(tiny.configuration(), resume: true) else { return XCTFail() }
        XCTAssertTrue(text.contains("checkpoint.json") && text.contains("does not match its digest"), text)
    }

    func testCheckpointOfOtherDataOrSettingsIsRefusedNamingTheSetting() throws {
        _ = run(tiny.configuration(), stopAfterUnit: 1)
        var otherSize = tiny.configuration()
        otherSize.calibrationSize = 32
        guard case .failed(let a) = run(otherSize, resume: true) else { return XCTFail() }
        XCTAssertTrue(a.hasSuffix("--calib-size 32 differs from the checkpoint's 64"), a)
        var otherBits = tiny.configuration()
        otherBits.wbits = 2
        guard case .failed(let b) = run(otherBits, resume: true) else { return XCTFail() }
        XCTAssertTrue(b.hasSuffix("--wbits 2 differs from the checkpoint's 3"), b)

        // The same file names and sizes, one other pixel in the first calibration image
        // (the 96 training images of 16×16 bytes end the file).
        let images = tiny.directory.appendingPathComponent("train_images.npy")
        var bytes = try Data(contentsOf: images)
        bytes[bytes.count - 96 * 256 + 10] ^= 0xFF
        try bytes.write(to: images)
        guard case .failed(let c) = run(tiny.configuration(), resume: true) else { return XCTFail() }
        XCTAssertTrue(c.contains("other calibration data"), c)
    }

    func testCheckpointOfAnotherModelIsRefused() throws {
        _ = run(tiny.configuration(), stopAfterUnit: 1)
        let model = URL(fileURLWithPath: tiny.modelPath)
        var bytes = try Data(contentsOf: model)
        bytes.append(contentsOf: [0xA0, 0x06, 0x01])  // an unknown field 100: same graph, another file
        try bytes.write(to: model)
        guard case .failed(let text) = run(tiny.configuration(), resume: true) else { return XCTFail() }
        XCTAssertTrue(text.contains("another model") && text.contains("--model \(tiny.modelPath)"), text)
    }
}
