import XCTest
@testable import Quantization

final class LearnedStepActivationQuantizerTests: XCTestCase {
    func testForwardHandValues() {
        // 3 bits, Δ = 0.5, z = 2: representable [−1, 2.5].
        let q = LearnedStepActivationQuantizer(bits: 3, step: 0.5, zeroPoint: 2)
        XCTAssertEqual(q.forward([0.3, 0.74, -3, 9, 1.25, 2.5]), [0.5, 0.5, -1, 2.5, 1.0, 2.5])
    }

    func testBackwardHandValues() {
        let q = LearnedStepActivationQuantizer(bits: 3, step: 0.5, zeroPoint: 2)
        let x: [Float] = [0.3, -3, 9]
        let gy: [Float] = [1, 1, 1]
        var gx = [Float](repeating: 7, count: 3)
        let gs = x.withUnsafeBufferPointer { xb in gy.withUnsafeBufferPointer { gb in
            gx.withUnsafeMutableBufferPointer { q.backward(input: xb, outputGradient: gb, inputGradient: $0) } } }
        // inside: round(0.6) − 0.6 = 0.4; below: 0 − 2 = −2; above: 7 − 2 = 5.
        XCTAssertEqual(gs, 0.4 + -2 + 5, accuracy: 1e-5)
        XCTAssertEqual(gx, [1, 0, 0])
    }

    /// The STE gradient is the exact derivative of the surrogate in which the
    /// rounded value is held constant (round(u) ≈ round(u₀) + (u − u₀)), so
    /// central differences of that surrogate must reproduce it, for Δ and x.
    func testGradientsMatchFiniteDifferencesOfSurrogate() {
        var r = FixtureRandom(seed: 11)
        let q = LearnedStepActivationQuantizer(bits: 4, step: 0.13, zeroPoint: 5)
        let x = r.array(200, -1.2, 2.4)
        let c = r.array(200, -1, 1)
        var gx = [Float](repeating: 0, count: x.count)
        let gs = x.withUnsafeBufferPointer { xb in c.withUnsafeBufferPointer { cb in
            gx.withUnsafeMutableBufferPointer { q.backward(input: xb, outputGradient: cb, inputGradient: $0) } } }

        func surrogate(_ v: Double, _ v0: Double, _ step: Double, _ step0: Double) -> Double {
            let u0 = v0 / step0
            let u = (u0.rounded(.toNearestOrEven)) + (v / step - u0)
            let level = min(max(u + Double(q.zeroPoint), 0), Double(q.maxLevel))
            return (level - Double(q.zeroPoint)) * step
        }
        let s0 = Double(q.step), eps = 1e-4
        var fdStep = 0.0
        var boundary = 0
        for i in x.indices {
            let v = Double(x[i])
            // A level exactly on 0 or 2^b − 1 sits on the clamp's kink, where the
            // surrogate has no derivative; those follow torch.clamp's closed interval
            // (checked in testBackwardOnClampBoundaryPassesGradient) and are left out here.
            let level = (v / s0).rounded(.toNearestOrEven) + Double(q.zeroPoint)
            if level == 0 || level == Double(q.maxLevel) { boundary += 1; continue }
            fdStep += Double(c[i]) * (surrogate(v, v, s0 + eps, s0) - surrogate(v, v, s0 - eps, s0)) / (2 * eps)
            let fdx = (surrogate(v + eps, v, s0, s0) - surrogate(v - eps, v, s0, s0)) / (2 * eps)
            XCTAssertEqual(Double(gx[i]), Double(c[i]) * fdx, accuracy: 1e-3, "x[\(i)] = \(x[i])")
        }
        // ∂L/∂Δ over the interior elements only.
        let interior = x.indices.filter {
            let level = (x[$0] / q.step).rounded(.toNearestOrEven) + q.zeroPoint
            return level != 0 && level != q.maxLevel
        }
        let xi = interior.map { x[$0] }, ci = interior.map { c[$0] }
        var scratch = [Float](repeating: 0, count: xi.count)
        let gsInterior = xi.withUnsafeBufferPointer { xb in ci.withUnsafeBufferPointer { cb in
            scratch.withUnsafeMutableBufferPointer { Double(q.backward(input: xb, outputGradient: cb, inputGradient: $0)) } } }
        XCTAssertGreaterThan(boundary, 0, "the fixture should cover the clamp edges")
        XCTAssertEqual(gsInterior, fdStep, accuracy: 1e-3 * max(1, abs(fdStep)))
        XCTAssertNotEqual(Double(gs), 0)
    }

    func testBackwardOnClampBoundaryPassesGradient() {
        // 2 bits, Δ = 1, z = 0: x = 3 is exactly the top level, x = 0 the bottom.
        let q = LearnedStepActivationQuantizer(bits: 2, step: 1, zeroPoint: 0)
        let x: [Float] = [3, 0, 3.4]
        let gy: [Float] = [1, 1, 1]
        var gx = [Float](repeating: 7, count: 3)
        let gs = x.withUnsafeBufferPointer { xb in gy.withUnsafeBufferPointer { gb in
            gx.withUnsafeMutableBufferPointer { q.backward(input: xb, outputGradient: gb, inputGradient: $0) } } }
        // 3.4 rounds to 3 (inside, closed interval): ∂/∂Δ = 3 − 3.4.
        XCTAssertEqual(gx, [1, 1, 1])
        XCTAssertEqual(gs, -0.4, accuracy: 1e-6)
    }

    func testFittedStepComesFromRangeSearch() {
        let sample: [Float] = (0..<100).map { Float($0) / 99 } + [10]
        let q = sample.withUnsafeBufferPointer { LearnedStepActivationQuantizer(fittedTo: $0, bits: 4) }
        let g = LpRangeSearch().fit(sample, channels: 1, bits: 4)
        XCTAssertEqual(q.step, g.scales[0])
        XCTAssertEqual(q.zeroPoint, g.zeroPoints[0])
    }
}
