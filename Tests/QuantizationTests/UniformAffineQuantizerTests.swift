import XCTest
@testable import Quantization

final class UniformAffineQuantizerTests: XCTestCase {
    func testGridFromRangeMatchesFormula() {
        // [−1, 2] at 2 bits: Δ = 3/3 = 1, z = round(1) = 1.
        let g = UniformAffineQuantizer.grid(min: -1, max: 2, bits: 2)
        XCTAssertEqual(g.scale, 1)
        XCTAssertEqual(g.zeroPoint, 1)
        // [−0.3, 1.2] at 4 bits: Δ = 0.1, z = round(3) = 3.
        let h = UniformAffineQuantizer.grid(min: -0.3, max: 1.2, bits: 4)
        XCTAssertEqual(h.scale, 0.1, accuracy: 1e-7)
        XCTAssertEqual(h.zeroPoint, 3)
    }

    func testFakeQuantizeHandValues() {
        let q = UniformAffineQuantizer(bits: 2, scales: [1], zeroPoints: [1])
        // x=0.4 → 0+1 → 0; 1.6 → 2+1=3 → 2; 5 → clamp 6→3 → 2; −3 → −2 → 0 → −1;
        // 0.5 → half-to-even 0 → 0; 1.5 → 2 → 2; −0.5 → −0 → 0.
        XCTAssertEqual(q.fakeQuantized([0.4, 1.6, 5, -3, 0.5, 1.5, -0.5]), [0, 2, 2, -1, 0, 2, 0])
        XCTAssertEqual(q.levels([0.4, 1.6, 5, -3]), [1, 3, 3, 0])
    }

    func testPerChannelUsesEachChannelsGrid() {
        // Channel 0: Δ=0.5, z=0 (4 bits); channel 1: Δ=2, z=8.
        let q = UniformAffineQuantizer(bits: 4, scales: [0.5, 2], zeroPoints: [0, 8])
        let out = q.fakeQuantized([0.74, -1, 8, 100, 3.1, -100])
        // ch0: 0.74/0.5=1.48→1→0.5; −1→−2→0→0; 8→16→clamp 15→7.5
        // ch1: 100/2=50+8→15→7·2=14; 3.1/2=1.55→2+8=10→4; −100→−50+8→0→−16
        XCTAssertEqual(out, [0.5, 0, 7.5, 14, 4, -16])
    }

    func testEightBitIsNearlyLossless() {
        var r = FixtureRandom(seed: 1)
        let x = r.array(1000, -1, 1)
        let q = LpRangeSearch().fit(x, channels: 1, bits: 8)
        let y = q.fakeQuantized(x)
        let worst = zip(x, y).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, q.scales[0] * 0.5 + 1e-6)
    }
}

/// Integer levels come from floats; a NaN must not trap the conversion.
final class QuantizerNaNTests: XCTestCase {
    func testLevelsOfNaNAreTheZeroPointNotATrap() {
        let q = UniformAffineQuantizer(bits: 4, scales: [0.5], zeroPoints: [3])
        XCTAssertEqual(q.levels([.nan, 1, -.infinity]), [3, 5, 0])
    }
}
