import Foundation
import Network
import Quantization
import Tensor

extension SessionWorker {
    /// Analyses the layers of the units done so far on the first
    /// `analysisImages` evaluation images and emits the figures; returns
    /// them (nil when the analysis is off or there are no test images).
    /// Small on purpose: a few dozen images, once per unit.
    @discardableResult
    func analyse(unitsDone: Int) -> AnalysisReport? {
        let count = min(configuration.analysisImages ?? RunConfiguration.defaultAnalysisImages, evaluator.labels.count)
        guard count > 0, unitsDone > 0 else { return nil }
        events.stage("analysing the layers on \(count) images")
        let done = Set(units.prefix(unitsDone).flatMap(\.layers))
        let sample: LabeledImages
        do {
            // The same first images every unit: decoded (or copied) once, not after every unit.
            if let kept = analysisSample, kept.count == count {
                sample = kept
            } else {
                sample = try evaluator.images.prefix(count)
                analysisSample = sample
            }
        } catch {
            // A test file that no longer decodes costs this unit's figures, not the run.
            emit(.message(Message(level: .warning, text: "analysis skipped: \(error)")))
            return nil
        }
        let settings = AnalysisSettings(batchSize: min(count, 64), layers: unitsDone >= units.count ? nil : done)
        let report = QuantizationAnalysis.analyze(graph: graph, model: session.model, images: sample.images,
                                                  labels: sample.labels, settings: settings,
                                                  knownIsolated: isolatedErrorsOfFinishedUnits)
        for layer in report.layers where done.contains(layer.layer) {
            if let isolated = layer.isolated { isolatedErrorsOfFinishedUnits[layer.layer] = isolated }
        }
        emit(.analysis(AnalysisUpdate(unitsDone: unitsDone, unitCount: units.count, report: report)))
        return report
    }
}
