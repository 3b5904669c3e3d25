import XCTest
@testable import Dashboard

/// The cell grid is where every panel's text goes; control characters from
/// files (an OSC title sequence in a layer name, SGR codes, C1 controls,
/// bidirectional overrides) must reach the cells escaped, never raw.
final class CellGridControlTests: XCTestCase {
    static let hostile = "\u{1B}]0;pwned\u{07}conv\u{1B}[31;1mred\u{9B}2J\u{202E}txt"

    private func assertNoControls(_ grid: CellGrid, file: StaticString = #filePath, line: UInt = #line) {
        let bad = grid.cells.map(\.scalar).filter {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
        XCTAssertTrue(bad.isEmpty, "cells hold control characters \(bad.map { String($0.value, radix: 16) })", file: file, line: line)
    }

    func testPutEscapesControlCharacters() {
        for charset in [Charset.unicode, .ascii] {
            var grid = CellGrid(width: 80, height: 2, charset: charset)
            grid.put(Self.hostile, x: 0, y: 0, role: .text)
            grid.putTruncated(Self.hostile, x: 0, y: 1, width: 20, role: .text)
            assertNoControls(grid)
            XCTAssertTrue(grid.row(0).hasPrefix("\\e]0;pwned\\u{7}conv\\e[31;1mred"), grid.row(0))
        }
    }

    func testDisplayWidthCountsTheEscapedForm() {
        let grid = CellGrid(width: 80, height: 1, charset: .unicode)
        XCTAssertEqual(grid.displayWidth("a\u{1B}b"), 4)
    }
}
