/// Calibration reads the training split, evaluation the test split.
public enum DataSplit: String, Sendable, CaseIterable {
    case train, test
}
