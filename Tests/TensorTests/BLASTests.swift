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
