import Foundation

/// The most memory the process has held resident so far (getrusage's
/// `ru_maxrss`): what `--summary` records as `peak_rss_bytes` and `quantize`
/// prints, so the cost of a calibration set's activations is seen, not guessed.
public enum PeakResidentMemory {
    /// Bytes; 0 when the system does not say.
    public static func bytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return max(0, Int(usage.ru_maxrss)) * 1024   // KiB on Linux
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return max(0, Int(usage.ru_maxrss))          // bytes on macOS
        #endif
    }

    /// "2.31 GB", "412 MB" (powers of 1000, as `/usr/bin/time` readers compare).
    public static func text(bytes: Int) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.2f GB", Double(bytes) / 1e9) : String(format: "%.0f MB", Double(bytes) / 1e6)
    }
}
