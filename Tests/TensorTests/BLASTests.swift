import TestFixtures
import XCTest
@testable import Tensor

final class BLASTests: XCTestCase {
    func testKernelIsAVX512WhenCPUHasIt() throws {
        let flags = CPUKernelChoice.cpuFlags()
        try XCTSkipUnless(flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl"),
                          "CPU lacks AVX-512 (F/BW/VL); OpenBLAS's own choice is expected")
        try XCTSkipIf(CPUKernelChoice.applyIfUnset() != "SkylakeX",
                      "OPENBLAS_CORETYPE was set by the user to something else; their choice wins")
        let name = BLAS.coreName.lowercased()
        XCTAssertTrue(["skylakex", "cooperlake", "sapphirerapids"].contains(name),
                      "OpenBLAS reports kernel \(BLAS.coreName), expected an AVX-512 one")
        XCTAssertGreaterThanOrEqual(BLAS.threads, 1)
    }

    /// OpenBLAS reads the timeout once, at load; it must be in the environment by then.
    func testThreadTimeoutIsSetBeforeLoading() {
        XCTAssertGreaterThanOrEqual(BLAS.threads, 1)
        let value = getenv("OPENBLAS_THREAD_TIMEOUT").map { String(cString: $0) }
        XCTAssertEqual(value, OpenBLASThreadTimeout.applyIfUnset())
        XCTAssertNotNil(value)
    }

    func testCoreTypeChoiceFromFlags() {
        XCTAssertEqual(CPUKernelChoice.coreType(forFlags: ["avx2", "avx512f", "avx512bw", "avx512vl"]), "SkylakeX")
        XCTAssertEqual(CPUKernelChoice.coreType(forFlags: ["avx2", "avx512f"]), "Haswell")
        XCTAssertNil(CPUKernelChoice.coreType(forFlags: ["sse3"]))
    }

    func testSgemmAllTransposesMatchNaiveLoop() {
        let (m, n, k) = (7, 5, 9)
        for ta in [false, true] { for tb in [false, true] {
            let a = randomTensor(ta ? [k, m] : [m, k], seed: 1)
            let b = randomTensor(tb ? [n, k] : [k, n], seed: 2)
            var c = randomTensor([m, n], seed: 3)
            let c0 = c
            Tensor.matrixMultiply(a, transposeA: ta, b, transposeB: tb, into: &c, alpha: 0.5, beta: 2)
            var expected = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n {
                var s = 0.0
                for l in 0..<k {
                    let av = ta ? a.data[l * m + i] : a.data[i * k + l]
                    let bv = tb ? b.data[j * k + l] : b.data[l * n + j]
                    s += Double(av) * Double(bv)
                }
                expected[i * n + j] = 0.5 * s + 2 * Double(c0.data[i * n + j])
            } }
            assertClose(c.data, expected, atol: 1e-5, "transA=\(ta) transB=\(tb)")
        } }
    }

    /// Products large enough to be split into panels (by columns when C is at
    /// least as wide as tall, else by rows), every transpose, sub-matrices with
    /// leading dimensions past their width, alpha and beta: each panel must
    /// offset A, B and C right.
    func testPanelSplitGEMMMatchesNaiveForEveryTransposeAndShape() {
        XCTAssertEqual(BLAS.threads, 1, "OpenBLAS must run single-threaded; sgemm splits over our workers")
        for (m, n, k) in [(20, 3 * BLAS.panelSize + 17, 200), (3 * BLAS.panelSize + 5, 19, 210)] {
            XCTAssertGreaterThanOrEqual(m * n * k, minimumParallelWork * 64, "too small to be split")
            let pad = 3
            for ta in [false, true] { for tb in [false, true] {
                let (ar, ac) = ta ? (k, m) : (m, k), (br, bc) = tb ? (n, k) : (k, n)
                let a = randomTensor([ar, ac + pad], seed: 6), b = randomTensor([br, bc + pad], seed: 7)
                var c = randomTensor([m, n + pad], seed: 8)
                let c0 = c
                a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in c.data.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transA: ta ? .transpose : .none, transB: tb ? .transpose : .none, m: m, n: n, k: k, alpha: 0.5,
                               a: pa.baseAddress!, lda: ac + pad, b: pb.baseAddress!, ldb: bc + pad, beta: 2,
                               c: pc.baseAddress!, ldc: n + pad)
                } } }
                var worst = 0.0
                for i in 0..<m { for j in 0..<(n + pad) {
                    let got = Double(c.data[i * (n + pad) + j])
                    guard j < n else { XCTAssertEqual(got, Double(c0.data[i * (n + pad) + j]), "padding column written"); continue }
                    var s = 0.0
                    for l in 0..<k {
                        let av = ta ? a.data[l * (ac + pad) + i] : a.data[i * (ac + pad) + l]
                        let bv = tb ? b.data[j * (bc + pad) + l] : b.data[l * (bc + pad) + j]
                        s += Double(av) * Double(bv)
                    }
                    worst = max(worst, abs(got - (0.5 * s + 2 * Double(c0.data[i * (n + pad) + j]))))
                } }
                XCTAssertLessThan(worst, 1e-3, "m \(m) n \(n) transA=\(ta) transB=\(tb)")
            } }
        }
    }

    func testLargeGEMMMatchesNaive() {
        // Large enough that OpenBLAS uses its threaded, blocked path.
        let (m, n, k) = (130, 257, 300)
        let a = randomTensor([m, k], seed: 4), b = randomTensor([k, n], seed: 5)
        let c = Tensor.matrixMultiply(a, b)
        var expected = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for l in 0..<k { let av = Double(a.data[i * k + l]); for j in 0..<n { expected[i * n + j] += av * Double(b.data[l * n + j]) } } }
        assertClose(c.data, expected, atol: 1e-4)
    }
}
