import XCTest
@testable import Tensor

final class RandomTests: XCTestCase {
    func testSplitMix64KnownValues() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
    }

    func testSameSeedSameStreamDifferentSeedDifferentStream() {
        var a = Xoshiro256StarStar(seed: 42), b = Xoshiro256StarStar(seed: 42), c = Xoshiro256StarStar(seed: 43)
        let sa = (0..<100).map { _ in a.next() }, sb = (0..<100).map { _ in b.next() }, sc = (0..<100).map { _ in c.next() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
        XCTAssertEqual(Set(sa).count, 100)
    }

    func testSplitIsDeterministicAndIndependent() {
        var parent1 = Xoshiro256StarStar(seed: 7), parent2 = Xoshiro256StarStar(seed: 7)
        var child1 = parent1.split(), child2 = parent2.split()
        XCTAssertEqual(child1, child2, "split must be deterministic")
        var sibling = parent1.split()
        let childValues = (0..<4096).map { _ in child1.uniform() }
        let parentValues = (0..<4096).map { _ in parent1.uniform() }
        let siblingValues = (0..<4096).map { _ in sibling.uniform() }
        // No shared prefix or shifted copy, and no correlation (|r| ≲ 4/√n).
        XCTAssertNotEqual(Array(childValues.prefix(8)), Array(parentValues.prefix(8)))
        XCTAssertTrue(Set(childValues.prefix(64)).isDisjoint(with: Set(parentValues)))
        XCTAssertTrue(Set(childValues.prefix(64)).isDisjoint(with: Set(siblingValues)))
        XCTAssertLessThan(abs(correlation(childValues, parentValues)), 0.06)
        XCTAssertLessThan(abs(correlation(childValues, siblingValues)), 0.06)
        // Drawing from the child must not move the parent.
        var p3 = Xoshiro256StarStar(seed: 7)
        _ = p3.split(); _ = p3.split()
        XCTAssertEqual(p3.next(), { var p = Xoshiro256StarStar(seed: 7); _ = p.split(); _ = p.split(); return p.next() }())
    }

    func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
        var cov = 0.0, va = 0.0, vb = 0.0
        for i in a.indices { let da = Double(a[i]) - ma, db = Double(b[i]) - mb; cov += da * db; va += da * da; vb += db * db }
        return cov / (va * vb).squareRoot()
    }

    func testUniformAndNormalMoments() {
        var g = Xoshiro256StarStar(seed: 1)
        let u = (0..<20000).map { _ in g.uniform() }
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(u.reduce(0.0) { $0 + Double($1) } / 20000, 0.5, accuracy: 0.01)
        var normals = [Float](repeating: 0, count: 20001)
        g.fillNormal(&normals, mean: 2, standardDeviation: 3)
        let mean = normals.reduce(0.0) { $0 + Double($1) } / Double(normals.count)
        let variance = normals.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(normals.count)
        XCTAssertEqual(mean, 2, accuracy: 0.1)
        XCTAssertEqual(variance, 9, accuracy: 0.4)
        let single = (0..<20000).map { _ in Double(g.normal()) }
        XCTAssertEqual(single.reduce(0, +) / 20000, 0, accuracy: 0.04)
        XCTAssertEqual(single.map { $0 * $0 }.reduce(0, +) / 20000, 1, accuracy: 0.05)
    }

    func testPermutationAndSampling() {
        var g = Xoshiro256StarStar(seed: 5)
        let perm = g.permutation(100)
        XCTAssertEqual(perm.sorted(), Array(0..<100))
        XCTAssertNotEqual(perm, Array(0..<100))
        let sample = g.sample(1000, from: 60000)
        XCTAssertEqual(Set(sample).count, 1000)
        XCTAssertTrue(sample.allSatisfy { $0 >= 0 && $0 < 60000 })
        XCTAssertEqual(g.sample(10, from: 10).sorted(), Array(0..<10))
        // Every element is equally likely to be drawn.
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<5000 { for i in g.sample(3, from: 10) { counts[i] += 1 } }
        for c in counts { XCTAssertEqual(Double(c), 1500, accuracy: 150) }
        var h1 = Xoshiro256StarStar(seed: 9), h2 = Xoshiro256StarStar(seed: 9)
        XCTAssertEqual(h1.permutation(50), h2.permutation(50))
    }
}
