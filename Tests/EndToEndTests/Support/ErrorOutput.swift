import XCTest

/// A usage or input error: a non-zero exit and one `Error:` line naming what
/// was wrong; anything else on stderr is ArgumentParser's usage boilerplate.
func assertOneErrorLine(_ result: CommandResult, mentions words: [String],
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(result.status, 0, "expected a failure; stderr:\n\(result.stderr)", file: file, line: line)
    let lines = result.stderrLines
    let errors = lines.filter { $0.hasPrefix("Error:") }
    XCTAssertEqual(errors.count, 1, "expected exactly one Error: line, got:\n\(result.stderr)", file: file, line: line)
    XCTAssertEqual(lines.first.map { $0.hasPrefix("Error:") }, true, "the error should come first:\n\(result.stderr)", file: file, line: line)
    for word in words {
        XCTAssertTrue(errors.first?.contains(word) ?? false, "the error line should mention \(word): \(errors.first ?? "")", file: file, line: line)
    }
    let boilerplate = lines.dropFirst().filter { !($0.hasPrefix("Usage:") || $0.hasPrefix("Help:") || $0.hasPrefix("  See '")) }
    XCTAssertEqual(boilerplate, [], "unexpected stderr lines", file: file, line: line)
    XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Stack dump"), result.stderr, file: file, line: line)
}
