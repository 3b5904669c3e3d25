import Foundation
import XCTest
@testable import Dashboard

/// Compares a rendered grid with Snapshots/NAME.txt. With BRECQ_RECORD_SNAPSHOTS=1
/// the file is (re)written instead; a missing file is recorded and the test fails,
/// so a new snapshot is always looked at once.
func assertSnapshot(_ grid: CellGrid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let directory = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent("\(name).txt")
    let actual = grid.text + "\n"
    let record = ProcessInfo.processInfo.environment["BRECQ_RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        if !record { XCTFail("recorded new snapshot \(name); check it and run again", file: file, line: line) }
        return
    }
    if expected != actual {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
        let detail = firstDifference.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
            ?? "line count \(expectedLines.count) vs \(actualLines.count)"
        XCTFail("snapshot \(name) differs (BRECQ_RECORD_SNAPSHOTS=1 re-records)\n\(detail)\n\nactual:\n\(actual)", file: file, line: line)
    }
}
