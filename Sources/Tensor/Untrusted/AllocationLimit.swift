import Foundation
import Synchronization

/// How large one buffer whose size came from a file may be. Checked before the
/// allocation happens, so a 500-byte model cannot ask for 51 GB. The default is a
/// quarter of physical memory; `BRECQ_MAX_TENSOR_BYTES` overrides it (the fuzzing
/// harness sets it low so that no input can take more than a few hundred MB).
public enum AllocationLimit {
    /// Largest single buffer, in bytes: `BRECQ_MAX_TENSOR_BYTES` when set, else a
    /// quarter of physical memory, unless a harness set one for the process.
    public static var bytes: Int { processOverride.withLock { $0 } ?? fromEnvironment }

    /// The limit from the environment or the machine, read once.
    private static let fromEnvironment: Int = {
        if let text = ProcessInfo.processInfo.environment["BRECQ_MAX_TENSOR_BYTES"],
           let value = Int(text), value > 0 {
            return value
        }
        let physical = ProcessInfo.processInfo.physicalMemory
        return Int(clamping: physical / 4)
    }()

    private static let processOverride = Mutex<Int?>(nil)

    /// Sets the limit for the rest of the process (the fuzzing harness's 256 MiB),
    /// whatever has been read before: a test process runs other suites first.
    public static func setForProcess(_ bytes: Int) {
        precondition(bytes > 0, "an allocation limit must be positive")
        processOverride.withLock { $0 = bytes }
    }

    /// Largest number of elements of `elementSize` bytes one buffer may hold.
    public static func elements(ofSize elementSize: Int) -> Int { bytes / max(1, elementSize) }

    /// Refuses `count` elements of `elementSize` bytes when over the limit, naming `what`.
    public static func check(_ count: Int, elementSize: Int = MemoryLayout<Float>.stride,
                             _ what: @autoclosure () -> String) throws(UntrustedSizeError) {
        guard count >= 0, count <= elements(ofSize: elementSize) else {
            let mib = (Double(count) * Double(elementSize) / 1_048_576).rounded()
            throw UntrustedSizeError(what: what(), reason: "needs \(Int(mib)) MiB, more than the limit of \(bytes / 1_048_576) MiB"
                                     + " (BRECQ_MAX_TENSOR_BYTES raises it)")
        }
    }
}
