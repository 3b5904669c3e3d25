import Foundation
import Quantization
import XCTest
@testable import Engine

/// The `analysis` event survives the event log and is checked when read back.
final class AnalysisEventTests: XCTestCase {
    static func update() -> AnalysisUpdate {
        var histogram = GridHistogram(maxLevel: 15, bins: 8)
        histogram.counts = [0, 1, 5, 9, 5, 1, 0, 2]
        let stats = QuantizerStatistics(bits: 4, minimum: -1, maximum: 1, step: 0.125, rangeInSteps: 16, clippedFraction: 0.02,
                                        histogram: histogram)
        let isolated = IsolatedErrors(weights: IsolatedError(kl: 0.01, top1Changed: 0.02), activations: nil,
                                      both: IsolatedError(kl: 0.03, top1Changed: 0.05))
        let layer = LayerAnalysis(layer: "conv\u{1B}[2J", block: 1, blockName: "block1", weightBits: 4, activationBits: 32,
                                  accumulated: AccumulatedError(noiseToSignalDecibels: -12.5, cosine: 0.97, mse: 0.002),
                                  isolated: isolated, weightStatistics: stats, activationStatistics: stats)
        return AnalysisUpdate(unitsDone: 2, unitCount: 5, report: AnalysisReport(
            images: 64, layers: [layer], output: IsolatedError(kl: 0.04, top1Changed: 0.06), fpAccuracy: 0.9, quantizedAccuracy: 0.85))
    }

    private func decode(_ line: String) throws -> EventRecord { try EventLog.record(fromLine: Data(line.utf8)) }

    func testRoundTripKeepsEveryFigureAndEscapesNames() throws {
        let line = try EventLog.line(for: EventRecord(time: 3, event: .analysis(Self.update())))
        XCTAssertTrue(line.contains(#""type":"analysis""#))
        XCTAssertTrue(line.contains(#""noise_to_signal_decibels":-12.5"#))
        guard case .analysis(let back) = try decode(line).event else { return XCTFail("not an analysis") }
        var expected = Self.update()
        expected.report.layers[0].layer = "conv\\e[2J"
        XCTAssertEqual(back, expected)
    }

    func testOutOfRangeFiguresAreRefusedNamingTheField() throws {
        let line = try EventLog.line(for: EventRecord(time: 3, event: .analysis(Self.update())))
        func refused(_ from: String, _ to: String) -> String? {
            do { _ = try decode(line.replacingOccurrences(of: from, with: to)); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(refused(#""units_done":2"#, #""units_done":9"#), "analysis.units_done: 9 is outside 0…5")
        XCTAssertEqual(refused(#""noise_to_signal_decibels":-12.5"#, #""noise_to_signal_decibels":1e300"#),
                       "analysis.report.layers[0].accumulated.noise_to_signal_decibels: 1e+300 is outside -200…200")
        XCTAssertEqual(refused(#""max_level":15"#, #""max_level":4294967295"#),
                       "analysis.report.layers[0].weight_statistics.histogram.max_level: 4294967295 is outside 1…65535")
        XCTAssertEqual(refused(#""clipped_fraction":0.02"#, #""clipped_fraction":-1"#),
                       "analysis.report.layers[0].weight_statistics.clipped_fraction: -1 is outside 0…1")
        XCTAssertNotNil(refused(#""counts":[0,1,5,9,5,1,0,2]"#, #""counts":[0,-1]"#))
    }
}
