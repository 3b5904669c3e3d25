import TestFixtures
import XCTest

/// Set-up shared by the end-to-end tests: a fresh tiny model directory per
/// test, removed afterwards.
class TinyModelTestCase: XCTestCase {
    var model: TinyModelDirectory!

    override func setUpWithError() throws {
        try super.setUpWithError()
        model = try TinyModelDirectory.make()
    }

    override func tearDown() {
        model?.remove()
        super.tearDown()
    }
}
