import XCTest
@testable import Tensor

final class CheckedSizeTests: XCTestCase {
    func testProductRefusesNegativeDimensionsThatMultiplyToAPositiveCount() {
        XCTAssertThrowsError(try CheckedSize.product([-1, -1, 1, 1] as [Int64], "x dims")) { error in
            XCTAssertEqual((error as? UntrustedSizeError)?.description, "x dims: negative (-1)")
        }
    }

    func testProductRefusesOverflowInsteadOfTrapping() {
        XCTAssertThrowsError(try CheckedSize.product([Int64(1) << 40, Int64(1) << 40], "w"))
        XCTAssertThrowsError(try CheckedSize.product([UInt32.max, UInt32.max, UInt32.max], "idx"))
        XCTAssertEqual(try CheckedSize.product([0, UInt32.max, UInt32.max], "idx"), 0)
    }

    func testProductHonoursTheLimit() throws {
        XCTAssertEqual(try CheckedSize.product([2, 3, 4], "t", limit: 24), 24)
        XCTAssertThrowsError(try CheckedSize.product([2, 3, 5], "t", limit: 24))
    }

    func testFloatingPointCountsMustBeFiniteIntegers() throws {
        XCTAssertEqual(try CheckedSize.count(12.0, "n"), 12)
        for bad in [Double.nan, .infinity, 1e30, 2.5, -3] {
            XCTAssertThrowsError(try CheckedSize.count(bad, "n"), "\(bad)")
        }
    }

    func testIntegerConversionsRefuseWhatDoesNotFit() throws {
        XCTAssertThrowsError(try CheckedSize.integer(UInt64.max, "label"))
        XCTAssertThrowsError(try CheckedSize.integer(Int64.min, "wbits", in: 2...8))
        XCTAssertEqual(try CheckedSize.integer(Int64(4), "wbits", in: 2...8), 4)
        XCTAssertThrowsError(try CheckedSize.index(Int64.max, below: 10, "unit"))
        XCTAssertEqual(try CheckedSize.index(3, below: 10, "unit"), 3)
    }

    func testArithmeticRefusesOverflow() {
        XCTAssertThrowsError(try CheckedSize.multiply(Int.max / 2, 3, "macs"))
        XCTAssertThrowsError(try CheckedSize.add(Int.max, 1, "pads"))
        XCTAssertEqual(try CheckedSize.add(2, 3, "pads"), 5)
    }

    func testAllocationLimitRefusesBeforeAllocating() {
        XCTAssertThrowsError(try AllocationLimit.check(Int.max / 2, "node conv1 output"))
        XCTAssertNoThrow(try AllocationLimit.check(1024, "small"))
    }

    func testTerminalTextEscapesControlSequences() {
        XCTAssertEqual(TerminalText.sanitized("conv\u{1B}]0;pwned\u{07}1"), "conv\\e]0;pwned\\u{7}1")
        XCTAssertEqual(TerminalText.sanitized("a\u{9B}31mb"), "a\\u{9b}31mb")
        XCTAssertEqual(TerminalText.sanitized("layer1/conv"), "layer1/conv")
        XCTAssertEqual(TerminalText.sanitized("a\nb"), "a b")
    }
}
