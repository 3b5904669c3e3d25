#if canImport(Glibc)
import Glibc
#endif

/// Makes OpenBLAS's worker threads sleep as soon as a call finishes instead of
/// spinning.
///
/// By default OpenBLAS keeps its workers in a `sched_yield` loop for up to
/// 2^28 cycles (about 0.1 s) after each GEMM. The direct convolution kernels
/// run on Dispatch's threads between GEMMs, and on 2 cores a spinning worker
/// takes a core from them: in `brecq bench kernels`, where every conv timing
/// follows an sgemm, the 16-channel forward ran at 92–102 GFLOP/s in three
/// runs out of three with the default and 166–172 with
/// `OPENBLAS_THREAD_TIMEOUT=4` (2^4 cycles, OpenBLAS's minimum). sgemm itself
/// (1024³) and `brecq bench recon` did not change measurably. OpenBLAS reads
/// the variable only while it initialises, so it is set before `dlopen`; a
/// value the user set is kept.
enum OpenBLASThreadTimeout {
    static let shortest = "4"

    /// Sets `OPENBLAS_THREAD_TIMEOUT` unless the user already did; returns the value in effect.
    @discardableResult
    static func applyIfUnset() -> String {
        if let existing = getenv("OPENBLAS_THREAD_TIMEOUT") { return String(cString: existing) }
        setenv("OPENBLAS_THREAD_TIMEOUT", shortest, 0)
        return shortest
    }
}
