import Foundation
import TestFixtures
import XCTest

/// Text from a model reaches the terminal with its control characters
/// escaped: the node names of Tests/Fixtures/escape_names*.onnx carry an OSC
/// title sequence (`ESC ] 0;pwned BEL`), SGR colour codes and a C1 CSI.
final class TerminalEscapeTests: XCTestCase {
    private func fixture(_ name: String) -> String { TinyModelDirectory.fixtures.appendingPathComponent(name).path }

    private func assertNoControlBytes(_ text: String, _ stream: String, file: StaticString = #filePath, line: UInt = #line) {
        let bad = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
        XCTAssertTrue(bad.isEmpty, "\(stream) holds control characters \(bad.map { String($0.value, radix: 16) }): \(text.debugDescription)",
                      file: file, line: line)
    }

    func testInspectTableEscapesNodeNames() throws {
        let run = try CommandRun.brecq(["inspect", "--granularity", "layer", fixture("escape_names.onnx")], timeout: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        assertNoControlBytes(run.stdout, "stdout")
        assertNoControlBytes(run.stderr, "stderr")
        XCTAssertTrue(run.stdout.contains("\\e]0;pwned"), "the name is still shown, escaped: \(run.stdout)")
    }

    func testErrorMessageEscapesNodeNames() throws {
        let run = try CommandRun.brecq(["inspect", fixture("escape_names_unsupported.onnx")], timeout: 60)
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("Erf"), run.stderr)
        assertNoControlBytes(run.stdout, "stdout")
        assertNoControlBytes(run.stderr, "stderr")
    }
}
