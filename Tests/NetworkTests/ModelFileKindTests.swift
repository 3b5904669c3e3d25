import Foundation
import XCTest
@testable import Network

/// A model path that is not a model file — a directory, a FIFO, an endless
/// device — is one line saying what it is and what was expected, not
/// "NSCocoaErrorDomain error 256", a hang or a read without end.
final class ModelFileKindTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "brecq-model-kind-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func assertRefused(_ path: String, saying reason: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = "cannot read \(path): \(reason); expected an ONNX model (.onnx)"
        XCTAssertThrowsError(try LoadedModel.load(path: path), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
        XCTAssertThrowsError(try LoadedModel.importGraph(path: path), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testADirectory() {
        assertRefused(directory, saying: "is a directory")
    }

    func testAFIFODoesNotBlock() {
        let fifo = directory + "/model.onnx"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertRefused(fifo, saying: "is not a regular file")
    }

    func testAnEndlessDevice() {
        assertRefused("/dev/zero", saying: "is not a regular file")
    }
}
