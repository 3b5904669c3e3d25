import Foundation
import XCTest
@testable import Tensor

/// AtomicFile never writes through something planted in the directory: its
/// temporary name is unpredictable and opened with O_EXCL|O_NOFOLLOW, and the
/// rename replaces a link at the final path instead of following it.
final class AtomicFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "brecq-atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func testPlantedLinksAtLikelyTemporaryNamesAndAtTheTargetAreNeverWrittenThrough() throws {
        let victim = directory + "/victim"
        try "secret".write(toFile: victim, atomically: false, encoding: .utf8)
        let target = directory + "/out.json"
        // The names the old writer used, and a few more guesses at the pattern.
        let guesses = [".out.json.\(getpid()).tmp", ".out.json.tmp", ".out.json.0.tmp", ".out.json.0000000000000000.tmp",
                       ".out.json.ffffffffffffffff.tmp"]
        for name in guesses { try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: victim) }
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: victim)

        for round in 0..<20 { try AtomicFile.write(Data("round \(round)".utf8), to: target) }

        XCTAssertEqual(try text(victim), "secret", "the link's target is never written")
        XCTAssertEqual(try text(target), "round 19")
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular, "the link at the target was replaced, not followed")
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(Set(left), Set(guesses), "only the planted links remain; no temporary file is left behind")
    }

    func testTheFinalModeIsTheRequestedOneLessTheUmask() throws {
        let target = directory + "/private.json"
        try AtomicFile.write(Data("x".utf8), to: target, mode: 0o600)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int), 0o600)
        let shared = directory + "/shared.json"
        try AtomicFile.write(Data("x".utf8), to: shared)
        let mode = try FileManager.default.attributesOfItem(atPath: shared)[.posixPermissions] as? Int
        XCTAssertEqual(mode, Int(0o644 & ~ProcessUmask.value))
    }

    func testAFailedRenameLeavesNoTemporaryFile() throws {
        let target = directory + "/occupied"
        try FileManager.default.createDirectory(atPath: target + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: target)) { error in
            XCTAssertTrue("\(error)".hasPrefix(target + ": cannot write"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["occupied"])
    }

    func testTemporaryNamesAreRecognisedOnlyInTheirExactPattern() {
        XCTAssertTrue(AtomicFile.isTemporaryName(".checkpoint.json.0123456789abcdef.tmp", of: "checkpoint.json"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".checkpoint.json.4242.tmp", of: "checkpoint.json"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".checkpoint.json.0123456789abcdeg.tmp", of: "checkpoint.json"))
        XCTAssertFalse(AtomicFile.isTemporaryName(".events.jsonl.0123456789abcdef.tmp", of: "checkpoint.json"))
    }
}
