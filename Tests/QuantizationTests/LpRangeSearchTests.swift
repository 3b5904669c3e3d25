import Foundation
import XCTest
@testable import Quantization

final class LpRangeSearchTests: XCTestCase {
    /// The reference algorithm written the slow way: per channel, per candidate, in Double.
    private func naiveFit(_ x: [Float], bits: Int) -> (Float, Float) {
        let lo = x.min()!, hi = x.max()!
        var best = Double.infinity
        var result: (Float, Float) = (0, 0)
        for i in 0..<80 {
            let shrink = 1 - 0.01 * Float(i)
            let (delta, z) = UniformAffineQuantizer.grid(min: lo * shrink, max: hi * shrink, bits: bits)
            let top = Float((1 << bits) - 1)
            var s = 0.0
            for v in x {
                let q = min(max((v / delta).rounded(.toNearestOrEven) + z, 0), top)
                s += pow(Double(abs(v - (q - z) * delta)), 2.4)
            }
            s /= Double(x.count)
            if s < best { best = s; result = (delta, z) }
        }
        return result
    }

    func testExactGridIsKept() {
        // {0,1,2,3} at 2 bits is represented exactly by the full range: Δ=1, z=0.
        let q = LpRangeSearch().fit([0, 1, 2, 3], channels: 1, bits: 2)
        XCTAssertEqual(q.scales, [1])
        XCTAssertEqual(q.zeroPoints, [0])
    }

    func testOutlierIsClipped() {
        // 99 values in [0, 1] and one at 10: the full-range grid (Δ = 10/15) wastes
        // levels, so a shrunk candidate must win at 4 bits.
        var x = (0..<99).map { Float($0) / 98 }
        x.append(10)
        let q = LpRangeSearch().fit(x, channels: 1, bits: 4)
        XCTAssertLessThan(q.scales[0], 10 / 15)
        let (delta, z) = naiveFit(x, bits: 4)
        XCTAssertEqual(q.scales[0], delta)
        XCTAssertEqual(q.zeroPoints[0], z)
    }

    func testVectorisedEqualsPerChannelReference() {
        var r = FixtureRandom(seed: 7)
        let channels = 6, per = 27
        var x: [Float] = []
        for c in 0..<channels {
            let width = Float(c + 1) * 0.3
            var ch = r.array(per, -width, width * 0.7)
            if c == 2 { ch[5] = 4 * width }   // an outlier channel
            if c == 4 { ch = ch.map { abs($0) + 0.2 } }  // range not containing 0: negative z
            x += ch
        }
        for bits in [2, 3, 4, 8] {
            let q = LpRangeSearch().fit(x, channels: channels, bits: bits)
            for c in 0..<channels {
                let (delta, z) = naiveFit(Array(x[c * per..<(c + 1) * per]), bits: bits)
                XCTAssertEqual(q.scales[c], delta, "bits \(bits) channel \(c)")
                XCTAssertEqual(q.zeroPoints[c], z, "bits \(bits) channel \(c)")
            }
        }
    }
}
