import Quantization

/// The quantization analysis of the model as it stands: after each unit the
/// layers of the units done so far (the rest of the network FP), at the end
/// every layer. See docs/analysis.md for the figures.
public struct AnalysisUpdate: Sendable, Codable, Equatable {
    /// Units reconstructed when it was measured, of `unitCount`.
    public var unitsDone: Int
    public var unitCount: Int
    public var report: AnalysisReport

    public init(unitsDone: Int, unitCount: Int, report: AnalysisReport) {
        self.unitsDone = unitsDone; self.unitCount = unitCount; self.report = report
    }
}
