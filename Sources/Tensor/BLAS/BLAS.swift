#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, loaded at run time.
///
/// Loading with `dlopen` instead of linking lets us choose the CPU kernel
/// (`OPENBLAS_CORETYPE`) before OpenBLAS initialises, so every process —
/// the CLI, tests, benchmarks — gets the fast kernel without the user setting
/// anything. The library is opened on first use.
public enum BLAS {
    public enum Transpose: Sendable {
        case none, transpose
        var cblasValue: Int32 { self == .none ? 111 : 112 }
    }

    /// Why OpenBLAS could not be loaded, if it could not; nil when it is usable.
    /// Lets callers (e.g. a setup check) report the problem without crashing.
    public static var loadError: String? {
        if case .failure(let error) = loadedBLAS { return error.message }
        return nil
    }

    /// The active OpenBLAS kernel as OpenBLAS reports it (e.g. "SkylakeX").
    public static var coreName: String {
        guard let name = library.getCoreName() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses for large operations.
    public static var threads: Int { Int(library.getNumThreads()) }

    /// The `OPENBLAS_CORETYPE` that was in effect when the library was loaded
    /// (set by the user, or chosen from `/proc/cpuinfo`), nil if none.
    public static var requestedCoreType: String? { library.requestedCoreType }

    /// Row-major single-precision GEMM: `C = alpha · op(A) · op(B) + beta · C`,
    /// with `op(A)` m×k, `op(B)` k×n, `C` m×n.
    ///
    /// OpenBLAS runs single-threaded (see `BLASLibrary.load`); a large product
    /// is split here into panels of `panelSize` columns (or rows, when C is
    /// taller than wide) run by `parallelFor`. Our own loops, not OpenBLAS's
    /// threads, share the cores because reconstruction runs slices of a batch
    /// side by side (`ReconstructionShard`): two OpenBLAS callers each asking
    /// for every core ran stage 3 of ResNet-20 1.2× slower than one thread
    /// each, while a nested `parallelFor` takes only the cores left free. The
    /// panel size is fixed, so every element is computed by the same call on
    /// any number of cores.
    public static func sgemm(
        transA: Transpose = .none, transB: Transpose = .none,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // BLAS leaves C untouched for k == 0 only when beta == 1; be explicit.
            scale(c, rows: m, cols: n, ld: ldc, by: beta)
            return
        }
        let byColumns = n >= m, extent = byColumns ? n : m
        let panels = (extent + panelSize - 1) / panelSize
        guard panels > 1, m * n * k >= minimumParallelWork * 64 else {
            callSgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let pa = UnsafeSendableBox(a), pb = UnsafeSendableBox(b), pc = UnsafeSendableBox(c)
        parallelFor(panels, work: m * n * k) { panel in
            let first = panel * panelSize, width = min(panelSize, extent - first)
            if byColumns {
                // Columns of op(B): B's columns, or B's rows when B is stored transposed.
                callSgemm(transA: transA, transB: transB, m: m, n: width, k: k, alpha: alpha,
                          a: pa.value, lda: lda, b: pb.value + (transB == .none ? first : first * ldb), ldb: ldb,
                          beta: beta, c: pc.value + first, ldc: ldc)
            } else {
                callSgemm(transA: transA, transB: transB, m: width, n: n, k: k, alpha: alpha,
                          a: pa.value + (transA == .none ? first * lda : first), lda: lda, b: pb.value, ldb: ldb,
                          beta: beta, c: pc.value + first * ldc, ldc: ldc)
            }
        }
    }

    /// Columns (or rows) of C per `parallelFor` task of a large GEMM.
    static let panelSize = 256

    @usableFromInline
    static func callSgemm(
        transA: Transpose, transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        library.sgemm(101, transA.cblasValue, transB.cblasValue,
                      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                      beta, c, Int32(ldc))
    }

    @usableFromInline
    static func scale(_ c: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, by beta: Float) {
        for r in 0..<rows {
            let row = c + r * ld
            if beta == 0 { row.update(repeating: 0, count: cols) } else { for j in 0..<cols { row[j] *= beta } }
        }
    }

    static var library: BLASLibrary {
        switch loadedBLAS {
        case .success(let lib): return lib
        case .failure(let error): fatalError(error.message)
        }
    }
}

typealias CblasSgemm = @Sendable @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float,
    UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32,
    Float, UnsafeMutablePointer<Float>?, Int32) -> Void
typealias OpenBLASGetCoreName = @Sendable @convention(c) () -> UnsafeMutablePointer<CChar>?
typealias OpenBLASGetNumThreads = @Sendable @convention(c) () -> Int32

/// The resolved entry points. The `dlopen` handle is never closed: the
/// functions must stay valid for the life of the process.
struct BLASLibrary: Sendable {
    let sgemm: CblasSgemm
    let getCoreName: OpenBLASGetCoreName
    let getNumThreads: OpenBLASGetNumThreads
    let requestedCoreType: String?

    static let candidateNames = ["libopenblas.so.0", "libopenblas.so"]

    static func load() -> Result<BLASLibrary, BLASLoadError> {
        let coreType = CPUKernelChoice.applyIfUnset()
        OpenBLASThreadTimeout.applyIfUnset()
        // One OpenBLAS thread: `sgemm` splits large products over our workers itself (see there).
        setenv("OPENBLAS_NUM_THREADS", "1", 1)
        var handle: UnsafeMutableRawPointer? = nil
        var errors: [String] = []
        for name in candidateNames {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
            errors.append(dlerror().map { String(cString: $0) } ?? name)
        }
        guard let handle else {
            return .failure(BLASLoadError(message: """
                cannot load OpenBLAS (tried \(candidateNames.joined(separator: ", "))): \
                \(errors.joined(separator: "; ")). Install it with: apt-get install libopenblas-dev
                """))
        }
        func symbol<F>(_ name: String, as type: F.Type) -> F? {
            guard let raw = dlsym(handle, name) else { return nil }
            return unsafeBitCast(raw, to: type)
        }
        guard let sgemm = symbol("cblas_sgemm", as: CblasSgemm.self),
              let coreName = symbol("openblas_get_corename", as: OpenBLASGetCoreName.self),
              let numThreads = symbol("openblas_get_num_threads", as: OpenBLASGetNumThreads.self)
        else {
            return .failure(BLASLoadError(message: """
                the loaded libopenblas lacks cblas_sgemm/openblas_get_corename/openblas_get_num_threads; \
                install OpenBLAS with: apt-get install libopenblas-dev
                """))
        }
        return .success(BLASLibrary(sgemm: sgemm, getCoreName: coreName, getNumThreads: numThreads,
                                    requestedCoreType: coreType))
    }
}

struct BLASLoadError: Error, Sendable {
    let message: String
}

/// Swift initialises global `let`s lazily and exactly once, thread-safely, so
/// this is the whole synchronisation the loader needs.
let loadedBLAS: Result<BLASLibrary, BLASLoadError> = BLASLibrary.load()
