import Foundation
import XCTest
@testable import Engine
import Quantization
import Tensor
import TestFixtures

/// A checkpoint never chooses where brecq reads or writes: the model, data,
/// sensitivity cache and latency table of a resumed run and of an export are
/// the user's; the checkpoint directory and the files in it are never reached
/// through a planted link.
final class CheckpointPathTests: TinyRunTestCase {
    private var directory: String { tiny.directory.appendingPathComponent("ck").path }
    private var files: CheckpointFiles { CheckpointFiles(directory: directory) }
    /// Where a hostile checkpoint points; nothing may appear here.
    private var elsewhere: String { tiny.directory.appendingPathComponent("elsewhere").path }

    private func run(_ c: RunConfiguration, resume: Bool = false, stopAfterUnit: Int? = nil,
                     commands: [EngineCommand] = []) -> (SessionRunner.Outcome, [EngineEvent]) {
        runSession(c, checkpoint: directory, resume: resume, stopAfterUnit: stopAfterUnit, commands: commands)
    }

    private func configuration(cache: String) -> RunConfiguration {
        // 4-bit layers already reconstructed stay at a candidate width of the search.
        var c = tiny.configuration(wbits: 4)
        c.search = SearchSettings(budget: "avgbits=5", sensitivityImages: 16, population: 8, generations: 3, parents: 4,
                                  elites: 2, cacheDirectory: cache)
        return c
    }

    /// The checkpoint's configuration names a model, data, cache and latency table
    /// elsewhere; the resumed run reads the user's model and data and stores its
    /// sensitivity table in the user's cache, and nothing appears elsewhere.
    func testPathsInACheckpointAreNeitherReadNorWritten() throws {
        let userCache = tiny.directory.appendingPathComponent("user-cache").path
        guard case .stopped = run(configuration(cache: userCache), stopAfterUnit: 1).0 else { return XCTFail("the run did not stop after its first unit; the test needs a checkpoint of a partial run") }
        try files.edit { object in
            var c = object["configuration"] as! [String: Any]
            c["modelPath"] = elsewhere + "/model.onnx"
            c["data"] = elsewhere + "/data"
            var search = c["search"] as! [String: Any]
            search["cacheDirectory"] = elsewhere + "/cache"
            search["latencyTable"] = elsewhere + "/latency.json"
            c["search"] = search
            object["configuration"] = c
        }
        let (outcome, events) = run(configuration(cache: userCache), resume: true, commands: [.startSearch])
        guard case .finished = outcome else { return XCTFail("the resumed run must finish: \(outcome)") }
        let messages = events.compactMap { if case .message(let m) = $0 { m.text } else { nil } }
        XCTAssertTrue(messages.contains { $0.hasPrefix("search: objective") }, "the search ran: \(messages)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: userCache).filter { $0.hasSuffix(".json") }.count, 1,
                       "the sensitivity table is cached where the user said")
        XCTAssertFalse(RegularFile.exists(elsewhere), "nothing is read or created where the checkpoint points")
    }

    /// Export reads the model the user names and checks it is the run's; the
    /// checkpoint's own model path is ignored, and another model is refused naming both.
    func testExportUsesTheUsersModelAndChecksItsDigest() throws {
        guard case .finished = run(tiny.configuration()).0 else { return XCTFail("the run must finish") }
        try files.edit { object in
            var c = object["configuration"] as! [String: Any]
            c["modelPath"] = elsewhere + "/model.onnx"
            object["configuration"] = c
        }
        let loaded = try QuantizedCheckpoint.load(directory: directory, modelPath: tiny.modelPath)
        XCTAssertEqual(loaded.model.layers.count, loaded.graph.nodes.filter(\.operation.isParametric).count)

        let other = tiny.directory.appendingPathComponent("other.onnx").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: tiny.modelPath))
        bytes.append(contentsOf: [0xA0, 0x06, 0x01])
        try bytes.write(to: URL(fileURLWithPath: other))
        XCTAssertThrowsError(try QuantizedCheckpoint.load(directory: directory, modelPath: other)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("another model") && text.contains(other) && text.contains(elsewhere + "/model.onnx"), text)
        }
        XCTAssertFalse(RegularFile.exists(elsewhere))
    }

    /// A link planted at the checkpoint directory's name would send the files
    /// into its target; the run refuses to write through it.
    func testACheckpointDirectoryThatIsALinkIsRefused() throws {
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory, withDestinationPath: elsewhere)
        guard case .failed(let text) = run(tiny.configuration()).0 else { return XCTFail("a linked checkpoint directory was used") }
        XCTAssertTrue(text.contains("symbolic link"), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [])
    }

    /// The files inside are read without following links: a checkpoint.json that
    /// is a link (here to the genuine file, moved away) is refused, not read through.
    func testACheckpointFileThatIsALinkIsNotFollowed() throws {
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1).0 else { return XCTFail("the run did not stop after its first unit; the test needs a checkpoint of a partial run") }
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: files.checkpoint, toPath: elsewhere + "/checkpoint.json")
        try FileManager.default.createSymbolicLink(atPath: files.checkpoint, withDestinationPath: elsewhere + "/checkpoint.json")
        guard case .failed(let text) = run(tiny.configuration(), resume: true).0 else { return XCTFail("a linked checkpoint.json was read") }
        XCTAssertTrue(text.hasSuffix("checkpoint.json: is a symbolic link (not followed)"), text)
    }

    /// Stale temporary files are removed on resume, but a link or a directory
    /// planted under such a name is not followed: its target survives.
    func testStaleTemporaryCleanupDoesNotFollowLinks() throws {
        guard case .stopped = run(tiny.configuration(), stopAfterUnit: 1).0 else { return XCTFail("the run did not stop after its first unit; the test needs a checkpoint of a partial run") }
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let victim = elsewhere + "/victim"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: directory + "/.checkpoint.json.0123456789abcdef.tmp", withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: directory + "/.events.jsonl.00000000000000aa.tmp", withDestinationPath: elsewhere)
        let stale = directory + "/.checkpoint.sha256.fedcba9876543210.tmp"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: stale))

        guard case .finished = run(tiny.configuration(), resume: true).0 else { return XCTFail("the resumed run must finish") }
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "keep")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), ["victim"])
        XCTAssertFalse(RegularFile.exists(stale), "a stale regular temporary file is removed")
    }
}
