import Dispatch

/// Runs `body(i)` for `i in 0..<count`, split over the cores when the work is
/// large enough to repay the dispatch (a few microseconds per call).
///
/// `work` is a rough cost estimate in elements touched; below
/// `minimumParallelWork` the loop runs inline, because on 2 cores a
/// concurrentPerform for tiny loops costs more than it saves.
@inlinable
func parallelFor(_ count: Int, work: Int, _ body: (Int) -> Void) {
    if count <= 1 || work < minimumParallelWork || processorCount == 1 {
        for i in 0..<count { body(i) }
        return
    }
    // Chunk so each worker gets a contiguous run (fewer cache-line fights).
    let chunks = min(count, processorCount * 4)
    withoutActuallyEscaping(body) { body in
        let box = UnsafeSendableBox(body)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * count / chunks
            let end = (chunk + 1) * count / chunks
            for i in start..<end { box.value(i) }
        }
    }
}

/// The number of chunks `parallelChunks` splits `count` items of `work` into,
/// so callers can size per-chunk scratch beforehand.
@inlinable
func parallelChunkCount(_ count: Int, work: Int, maxChunks: Int = processorCount * 4) -> Int {
    (count <= 1 || work < minimumParallelWork || processorCount == 1) ? min(count, 1) : min(count, maxChunks)
}

/// Like `parallelFor`, but hands each worker a contiguous range and its chunk
/// index (`0..<parallelChunkCount(count, work:, maxChunks:)`), so that a chunk
/// can own a slice of preallocated scratch. Public for per-element work in
/// other targets (quantizers, optimisers): `body` must write disjoint outputs.
@inlinable
public func parallelChunks(_ count: Int, work: Int, maxChunks: Int = processorCount * 4,
                    _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    let chunks = parallelChunkCount(count, work: work, maxChunks: maxChunks)
    parallelFor(chunks, work: chunks > 1 ? work : 0) { chunk in
        body(chunk, (chunk * count / chunks)..<((chunk + 1) * count / chunks))
    }
}

@usableFromInline let minimumParallelWork = 32_768

/// The number of workers parallel loops split into: the online cores, or
/// `BRECQ_WORKERS` (see `Workers`).
@usableFromInline let processorCount: Int = Workers.count

/// How many threads the library's parallel loops use. `BRECQ_WORKERS=N`
/// (1–1024) overrides the core count, to measure how a run scales with cores
/// (`BRECQ_WORKERS=1` runs every loop inline). OpenBLAS itself runs on one
/// thread (`BLASLibrary.load` sets `OPENBLAS_NUM_THREADS=1`); `BLAS.sgemm`
/// splits large products over these workers.
public enum Workers {
    public static let environmentVariable = "BRECQ_WORKERS"
    public static let limit = 1...1024

    /// The online cores, at least 1.
    public static var cores: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }

    /// `BRECQ_WORKERS` when it is a whole number in `limit`, else nil.
    public static var requested: Int? {
        guard let raw = getenv(environmentVariable), let n = Int(String(cString: raw)), limit.contains(n) else { return nil }
        return n
    }

    /// One line saying why `BRECQ_WORKERS` cannot be used, or nil when it is unset or valid.
    public static var environmentProblem: String? {
        guard let raw = getenv(environmentVariable), raw.pointee != 0, requested == nil else { return nil }
        return "\(environmentVariable): expected a whole number from \(limit.lowerBound) to \(limit.upperBound), got '\(String(cString: raw))'"
    }

    /// The worker count in effect, read once per process.
    public static let count: Int = requested ?? cores
}

/// Carries a non-Sendable value (a closure or raw pointer) into
/// `concurrentPerform`. Safe because every use in this module hands each
/// iteration a disjoint part of the output, and concurrentPerform returns only
/// after all iterations finish, so nothing outlives the caller's borrow.
@usableFromInline
struct UnsafeSendableBox<T>: @unchecked Sendable {
    @usableFromInline let value: T
    @usableFromInline init(_ value: T) { self.value = value }
}
#if canImport(Glibc)
import Glibc
#endif
