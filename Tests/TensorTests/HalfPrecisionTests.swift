import XCTest
@testable import Tensor

/// The C conversions against Swift's own `Float16` (compiler-rt's
/// `__truncsfhf2` / `__extendhfsf2`, written independently of the kernels),
/// on every instruction-set build this CPU runs.
final class HalfPrecisionTests: XCTestCase {
    private func narrow(_ values: [Float], isa: Int32) -> [UInt16] {
        var out = [UInt16](repeating: 0xFFFF, count: values.count)
        values.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { HalfPrecision.convert(src, to: $0, isa: isa) } }
        return out
    }

    private func widen(_ halves: [UInt16], isa: Int32) -> [Float] {
        var out = [Float](repeating: -1, count: halves.count)
        halves.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { HalfPrecision.convert(src, to: $0, isa: isa) } }
        return out
    }

    /// Every one of the 65 536 half values widens to the same float bits as Float16 → Float
    /// (zeros, subnormals, normals, ±inf, NaNs quieted with their payload).
    func testEveryHalfWidensExactly() {
        let all = (0...0xFFFF).map { UInt16($0) }
        let expected = all.map { Float(Float16(bitPattern: $0)).bitPattern }
        for isa in HalfPrecision.supportedInstructionSets {
            let got = widen(all, isa: isa).map(\.bitPattern)
            let wrong = zip(all, zip(got, expected)).filter { $1.0 != $1.1 }
            XCTAssertTrue(wrong.isEmpty, "isa \(isa): \(wrong.prefix(5).map { String(format: "%04x → %08x, not %08x", $0.0, $0.1.0, $0.1.1) })")
        }
    }

    /// Rounding to nearest with ties to even at every kind of boundary, and on
    /// a million random bit patterns, matches Float16(Float).
    func testNarrowingRoundsLikeFloat16() {
        var values: [Float] = [0, -0, 1, -1, 65504, -65504, 65519.996, 65520, -65520, 1e6, .infinity, -.infinity,
                               .greatestFiniteMagnitude, Float(bitPattern: 0x7FC0_0000), Float(bitPattern: 0xFFA0_1234),
                               Float(bitPattern: 0x7F80_0001), Float(bitPattern: 0x7FBF_FFFF),   // signalling NaNs
                               .leastNonzeroMagnitude, .leastNormalMagnitude]
        // Around the half subnormal unit 2^-24, the smallest normal 2^-14, and ties between neighbours.
        for base: Float in [0x1p-26, 0x1p-25, 0x1p-24, 0x1.8p-24, 0x1p-15, 0x1p-14, 0x1.ffcp-15, 1, 0x1.002p0, 0x1.006p0, 1024, 2048] {
            var below = base, above = base
            for _ in 0..<3 { below = below.nextDown; above = above.nextUp; values += [below, above, -below, -above] }
            values.append(base)
        }
        // Exact ties: halfway between two adjacent halves, even and odd below.
        for h: UInt16 in [0x0000, 0x0001, 0x0002, 0x03FF, 0x0400, 0x3C00, 0x3C01, 0x7BFE] {
            let a = Float(Float16(bitPattern: h)), b = Float(Float16(bitPattern: h + 1))
            values.append((a + b) / 2)
        }
        var random = Xoshiro256StarStar(seed: 11)
        for _ in 0..<1_000_000 { values.append(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))) }
        let expected = values.map { Float16($0).bitPattern }
        for isa in HalfPrecision.supportedInstructionSets {
            // Odd counts reach the scalar tails of the vector loops too.
            for count in [values.count, 13, 7] {
                let got = narrow(Array(values.prefix(count)), isa: isa)
                let wrong = (0..<count).filter { got[$0] != expected[$0] }
                XCTAssertTrue(wrong.isEmpty, "isa \(isa): \(wrong.prefix(5).map { String(format: "%08x → %04x, not %04x", values[$0].bitPattern, got[$0], expected[$0]) })")
            }
        }
    }

    func testOverflowSubnormalsAndSpecialValues() {
        let got = narrow([65520, 70000, -1e30, 0x1p-24, 0x1p-25, 0x1.000002p-25, 0x1.8p-24, .nan], isa: HalfPrecision.isa)
        XCTAssertEqual(got[0], 0x7C00, "65520 rounds up to infinity")
        XCTAssertEqual(got[1], 0x7C00)
        XCTAssertEqual(got[2], 0xFC00)
        XCTAssertEqual(got[3], 0x0001, "2^-24: the smallest subnormal")
        XCTAssertEqual(got[4], 0x0000, "2^-25: a tie, to even (zero)")
        XCTAssertEqual(got[5], 0x0001, "just above the tie")
        XCTAssertEqual(got[6], 0x0002, "1.5 · 2^-24: a tie, to even (2)")
        XCTAssertTrue(Float16(bitPattern: got[7]).isNaN)
    }
}
