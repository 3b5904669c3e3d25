import Foundation
import XCTest
@testable import Engine

/// A quoted word reaches a program as exactly the original string when a POSIX
/// shell reads it: checked by letting /bin/sh print it back.
final class ShellQuotedTests: XCTestCase {
    private func throughShell(_ word: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' \(ShellQuoted(word))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testAwkwardWordsSurviveTheShellUnchanged() throws {
        for word in ["/tmp/it's here/model.onnx", "a b", "$HOME", "`id`", "x;rm -rf y", "line\nbreak", "*", "-dash", "ünï", "''"] {
            XCTAssertEqual(try throughShell(word), word)
        }
    }

    func testPlainPathsStayBare() {
        XCTAssertEqual("\(ShellQuoted("/tmp/brecq-fixture-1A2B/model.onnx"))", "/tmp/brecq-fixture-1A2B/model.onnx")
        XCTAssertEqual("\(ShellQuoted(""))", "''")
    }

    func testAbsolutePathsAreResolvedAgainstTheWorkingDirectory() {
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertEqual(ShellQuoted.absolutePath("x/../model.onnx").word, URL(fileURLWithPath: cwd).appendingPathComponent("model.onnx").path)
    }
}
