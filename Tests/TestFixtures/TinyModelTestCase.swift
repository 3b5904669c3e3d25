import XCTest

/// Set-up shared by the session and end-to-end tests: a fresh tiny model
/// directory per test (`TinyModelDirectory`), removed afterwards.
open class TinyModelTestCase: XCTestCase {
    public var model: TinyModelDirectory!

    /// Images generated for the train and test splits; a subclass may ask for others.
    open class var datasetSize: (train: Int, test: Int) { (128, 100) }

    override open func setUpWithError() throws {
        try super.setUpWithError()
        model = try TinyModelDirectory.make(train: Self.datasetSize.train, test: Self.datasetSize.test)
    }

    override open func tearDown() {
        model?.remove()
        super.tearDown()
    }
}
