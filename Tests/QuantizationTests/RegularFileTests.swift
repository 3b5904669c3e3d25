import Foundation
import XCTest
@testable import Quantization

/// Reading files brecq did not write, and digesting them.
final class RegularFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "brecq-regular-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// FIPS 180-2's test vectors: the digest is SHA-256 itself, not something like it.
    func testSHA256MatchesTheStandardsVectors() {
        XCTAssertEqual(SHA256.hex(of: Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// A FIFO planted where a file is expected would block a plain read forever.
    func testAFIFOIsRefusedWithoutBlocking() throws {
        let fifo = directory + "/checkpoint.json"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try RegularFile.read(fifo)) { error in
            XCTAssertEqual("\(error)", fifo + ": not a regular file")
        }
    }

    func testALinkIsFollowedOnlyWhenAsked() throws {
        let target = directory + "/model.onnx", link = directory + "/link.onnx"
        try Data("weights".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertThrowsError(try RegularFile.read(link)) { error in
            XCTAssertEqual("\(error)", link + ": is a symbolic link (not followed)")
        }
        XCTAssertEqual(try RegularFile.read(link, followingLinks: true), Data("weights".utf8))
        XCTAssertTrue(RegularFile.exists(link))
        try FileManager.default.removeItem(atPath: target)
        XCTAssertTrue(RegularFile.exists(link), "a dangling link still occupies the name")
    }
}
