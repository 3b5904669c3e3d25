import Foundation
import XCTest
import Tensor

/// Reading whole files brecq did not write: one line for anything that is not
/// a regular file of acceptable size, and never a hang on a FIFO or device.
final class RegularFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "brecq-regular-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func failure(_ path: String, limit: Int = 1 << 20, links: RegularFile.SymbolicLinks = .followed) -> RegularFile.Failure? {
        do { _ = try RegularFile.read(path, what: "a checkpoint (JSON)", limit: limit, symbolicLinks: links) } catch { return error }
        XCTFail("\(path) was read")
        return nil
    }

    func testAWholeFileIsRead() throws {
        let path = directory + "/a.json"
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) })  // more than one read's chunk
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try RegularFile.read(path, what: "a checkpoint (JSON)", limit: bytes.count, symbolicLinks: .refused), bytes)
    }

    func testAMissingFileIsSaidToBeMissing() {
        let f = failure(directory + "/absent.json")
        XCTAssertEqual(f?.description, directory + "/absent.json: no such file")
        XCTAssertEqual(f?.isMissing, true)
    }

    func testADirectorySaysWhatWasExpected() {
        XCTAssertEqual(failure(directory)?.description, directory + ": is a directory; expected a checkpoint (JSON)")
    }

    /// A FIFO planted where a file is expected would block a plain open or read forever.
    func testAFIFOIsRefusedWithoutBlocking() throws {
        let fifo = directory + "/checkpoint.json"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(failure(fifo)?.description, fifo + ": is not a regular file; expected a checkpoint (JSON)")
    }

    /// /dev/zero never ends: refused by its kind, before a byte is read.
    func testADeviceIsRefused() {
        XCTAssertEqual(failure("/dev/zero")?.description, "/dev/zero: is not a regular file; expected a checkpoint (JSON)")
    }

    func testAFileOverTheCapIsRefusedByItsSize() throws {
        let path = directory + "/big.json"
        try Data(count: 1001).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(failure(path, limit: 1000)?.description,
                       path + ": 1001 bytes is larger than the limit of 1000 bytes for a checkpoint (JSON)")
        XCTAssertEqual(try RegularFile.read(path, what: "a checkpoint (JSON)", limit: 1001, symbolicLinks: .followed).count, 1001,
                       "a file exactly at the cap is read")
    }

    func testALinkIsFollowedOnlyWhenAsked() throws {
        let target = directory + "/model.onnx", link = directory + "/link.onnx"
        try Data("weights".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertEqual(failure(link, links: .refused)?.description, link + ": is a symbolic link (not followed)")
        XCTAssertEqual(try RegularFile.read(link, what: "an ONNX model", symbolicLinks: .followed), Data("weights".utf8))
        XCTAssertTrue(RegularFile.exists(link))
        try FileManager.default.removeItem(atPath: target)
        XCTAssertTrue(RegularFile.exists(link), "a dangling link still occupies the name")
        XCTAssertEqual(failure(link, links: .refused)?.description, link + ": is a symbolic link (not followed)")
    }
}
