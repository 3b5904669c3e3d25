import Foundation
import XCTest
@testable import Engine

/// Foundation's file errors reach the user as one line naming the path and the cause.
final class ErrorTextTests: XCTestCase {
    func testCocoaFileErrorsBecomePathAndCause() {
        XCTAssertThrowsError(try Data([1]).write(to: URL(fileURLWithPath: "/proc/brecq/x"))) { error in
            XCTAssertEqual(ErrorText.oneLine(error), "/proc/brecq/x: No such file or directory")
        }
        XCTAssertThrowsError(try Data(contentsOf: URL(fileURLWithPath: "/"))) { error in
            XCTAssertEqual(ErrorText.oneLine(error), "/: Is a directory")
        }
    }

    func testOtherErrorsKeepTheirDescriptionOnOneLine() {
        struct Twoline: Error, CustomStringConvertible { var description: String { "first\nsecond" } }
        XCTAssertEqual(ErrorText.oneLine(Twoline()), "first second")
        XCTAssertEqual(ErrorText.oneLine(EngineError("no model")), "no model")
    }
}
