import XCTest

/// Set-up shared by the session tests: a fresh `TinyRun` per test, removed afterwards.
class TinyRunTestCase: XCTestCase {
    var tiny: TinyRun!

    override func setUpWithError() throws {
        try super.setUpWithError()
        tiny = try TinyRun.make()
    }

    override func tearDown() {
        tiny?.remove()
        super.tearDown()
    }
}
