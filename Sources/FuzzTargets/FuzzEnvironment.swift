import Foundation
import Tensor

/// Process-wide settings every target needs before its first case.
public enum FuzzEnvironment {
    /// The per-buffer allocation cap the harness runs under (256 MiB), so no
    /// input can take more than a few hundred MB; an explicit
    /// `BRECQ_MAX_TENSOR_BYTES` wins.
    public static let maxTensorBytes = 256 << 20

    private static let prepared: Void = {
        if ProcessInfo.processInfo.environment["BRECQ_MAX_TENSOR_BYTES"] == nil {
            // For the process, not the environment: in a test process other suites
            // have read the limit already, and child processes get it from the supervisor.
            AllocationLimit.setForProcess(maxTensorBytes)
        }
        // The scratch files of a process that ends normally go with it (a crash leaves them for inspection).
        atexit { try? FileManager.default.removeItem(at: FuzzEnvironment.scratch) }
    }()

    /// Sets the allocation cap for the process.
    public static func prepare() { prepared }

    /// A scratch directory of this process for inputs that parsers read from files.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("brecq-fuzz-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// An empty directory `name` inside the scratch directory (emptied if it existed).
    static func emptyDirectory(_ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `data` to `name` in the scratch directory and returns its path.
    static func file(_ name: String, _ data: Data) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }
}
