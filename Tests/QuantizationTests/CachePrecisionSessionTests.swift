import Network
import Tensor
import XCTest
@testable import Quantization

/// Half-precision activation caches against full precision on the tiny ResNet:
/// the same reconstruction, only the stored inputs, targets and Fisher weights
/// rounded to 11 significant bits.
final class CachePrecisionSessionTests: XCTestCase {
    private func reconstruct(_ precision: ActivationCache.Precision, loss: Hyperparameters.Loss)
        -> (before: Double, after: Double, losses: [Double], snr: Double?) {
        let graph = TinyNetwork.graph()
        let session = QuantizationSession(graph: graph, calibration: TinyNetwork.images(64),
                                          configuration: QuantizationConfiguration(weightBits: 2, activationBits: 4, cachePrecision: precision))
        var h = Hyperparameters()
        h.batchSize = 16
        h.loss = loss
        var rng = Xoshiro256StarStar(seed: 21)
        let block = graph.blockUnits().filter { $0.kind == .basic }[1]   // after the stem and block1: streams have moved
        var before = 0.0, after = 0.0, losses: [Double] = [], snr: Double?
        for (k, phase) in session.phases(for: block, hyperparameters: h).enumerated() {
            let r = try! session.makeReconstructor(unit: block, phase: phase, hyperparameters: h, iterations: 60, random: rng.split())
            if k == 0 { before = r.lossBefore }
            while !r.isComplete { losses.append(r.step().reconstructionLoss) }
            after = r.finish()
            snr = r.signalToNoiseAfter
        }
        return (before, after, losses, snr)
    }

    /// The same batches; only rounding differs. At 4-bit activations a 5·10⁻⁴
    /// change of an input moves some values across a quantization level, so a
    /// single iteration's loss may differ by a few per cent (5.5 % at most
    /// here); the losses over all images before and after, and the mean over
    /// the iterations, stay within 1 %.
    func testHalfPrecisionCachesGiveTheSameLossesWithinOnePercent() {
        for loss in [Hyperparameters.Loss.mse, .fisher] {
            let full = reconstruct(.fp32, loss: loss), half = reconstruct(.fp16, loss: loss)
            XCTAssertEqual(half.before, full.before, accuracy: 0.01 * full.before, "\(loss) before")
            XCTAssertEqual(half.after, full.after, accuracy: 0.01 * full.after, "\(loss) after")
            XCTAssertEqual(half.losses.count, full.losses.count)
            let meanHalf = half.losses.reduce(0, +) / Double(half.losses.count)
            let meanFull = full.losses.reduce(0, +) / Double(full.losses.count)
            XCTAssertEqual(meanHalf, meanFull, accuracy: 0.01 * meanFull, "\(loss) mean over iterations")
            for (k, (a, b)) in zip(half.losses, full.losses).enumerated() {
                XCTAssertEqual(a, b, accuracy: 0.1 * b, "\(loss) iteration \(k + 1)")
            }
            XCTAssertEqual(half.snr ?? 0, full.snr ?? 0, accuracy: 0.05, "\(loss) SNR in dB")
            XCTAssertNotEqual(half.before, full.before, "the caches really were rounded")
        }
    }

    /// fp32 caches are the run as it was before caches existed: two sessions agree bit for bit.
    func testFullPrecisionIsDeterministic() {
        let a = reconstruct(.fp32, loss: .mse), b = reconstruct(.fp32, loss: .mse)
        XCTAssertEqual(a.losses, b.losses)
        XCTAssertEqual(a.after, b.after)
    }
}
