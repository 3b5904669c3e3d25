import TestFixtures

/// The session tests' base: `TinyModelTestCase` with the smaller data set a
/// `TinyRun` expects, seen through the run helpers.
class TinyRunTestCase: TinyModelTestCase {
    override class var datasetSize: (train: Int, test: Int) { TinyRun.datasetSize }

    var tiny: TinyRun { TinyRun(files: model) }
}
