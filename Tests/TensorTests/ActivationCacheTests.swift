import XCTest
@testable import Tensor

final class ActivationCacheTests: XCTestCase {
    private func sample(rows: Int, per: Int) -> Tensor {
        var random = Xoshiro256StarStar(seed: 5)
        return Tensor(shape: [rows, per / 2, 2], data: (0..<rows * per).map { _ in random.uniform(-4, 4) })
    }

    func testFullPrecisionKeepsEveryValueAndGathersRows() {
        let t = sample(rows: 6, per: 10)
        let cache = ActivationCache(t, precision: .fp32)
        XCTAssertEqual(cache.shape, [6, 5, 2])
        XCTAssertEqual(cache.byteCount, 240)
        XCTAssertEqual(cache.tensor(), t)
        XCTAssertEqual(cache.tensor(rows: 2..<4).data, Array(t.data[20..<40]))
        var batch = [Float](repeating: 0, count: 30)
        batch.withUnsafeMutableBufferPointer { cache.gatherRows([5, 0, 5], into: $0) }
        XCTAssertEqual(batch, Array(t.data[50..<60]) + Array(t.data[0..<10]) + Array(t.data[50..<60]))
    }

    /// Half precision holds each value as Float16 rounds it, and nothing else changes.
    func testHalfPrecisionRoundsOnceWhenStored() {
        let t = sample(rows: 5, per: 18)
        var cache = ActivationCache(rows: 5, rowShape: [9, 2], precision: .fp16)
        XCTAssertEqual(cache.byteCount, 5 * 18 * 2)
        t.data.withUnsafeBufferPointer { cache.store(rowsFrom: 0, UnsafeBufferPointer(rebasing: $0[0..<36])) }
        t.data.withUnsafeBufferPointer { cache.store(rowsFrom: 2, UnsafeBufferPointer(rebasing: $0[36..<90])) }
        let rounded = t.data.map { Float(Float16($0)) }
        XCTAssertEqual(cache.tensor().data, rounded)
        XCTAssertEqual(ActivationCache(t, precision: .fp16).tensor().data, rounded)
        var out = [Float](repeating: 0, count: 36)
        out.withUnsafeMutableBufferPointer { cache.copyRows(3..<5, into: $0) }
        XCTAssertEqual(out, Array(rounded[54..<90]))
        XCTAssertGreaterThan(zip(rounded, t.data).filter { $0 != $1 }.count, 0, "values really were rounded")
    }

    /// `auto` is fp16 only when one fp32 buffer of the largest activation passes 512 MiB.
    func testAutomaticPrecisionFollowsTheBufferSize() {
        let elements = 64 * 112 * 112   // ResNet-18's stem output at 224×224
        let limitImages = CachePrecision.automaticThresholdBytes / (elements * 4)
        XCTAssertEqual(CachePrecision.auto.resolved(images: limitImages, elementsPerImage: elements), .fp32)
        XCTAssertEqual(CachePrecision.auto.resolved(images: limitImages + 1, elementsPerImage: elements), .fp16)
        XCTAssertEqual(CachePrecision.auto.resolved(images: 1024, elementsPerImage: elements), .fp16)
        XCTAssertEqual(CachePrecision.auto.resolved(images: 1024, elementsPerImage: 16 * 28 * 28), .fp32, "the Fashion-MNIST examples")
        XCTAssertEqual(CachePrecision.auto.resolved(images: 128 << 20, elementsPerImage: 1), .fp32, "exactly 512 MiB")
        XCTAssertEqual(CachePrecision.auto.resolved(images: (128 << 20) + 1, elementsPerImage: 1), .fp16)
        XCTAssertEqual(CachePrecision.auto.resolved(images: Int.max, elementsPerImage: Int.max), .fp16, "overflow is large")
        XCTAssertEqual(CachePrecision.fp32.resolved(images: 1024, elementsPerImage: elements), .fp32)
        XCTAssertEqual(CachePrecision.fp16.resolved(images: 1, elementsPerImage: 1), .fp16)
    }
}
