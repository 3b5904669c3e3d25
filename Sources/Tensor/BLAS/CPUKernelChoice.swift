#if canImport(Glibc)
import Glibc
#endif

/// Picks OpenBLAS's CPU kernel before the library is loaded.
///
/// Debian's OpenBLAS 0.3.21 does not recognise Sapphire-Rapids-class Xeons and
/// falls back to its SSE3 "Prescott" kernel (2–5× slower). OpenBLAS reads
/// `OPENBLAS_CORETYPE` only while it initialises, so the choice must be in the
/// environment before `dlopen`. A value the user set is never replaced.
enum CPUKernelChoice {
    /// The OpenBLAS core type matching a set of `/proc/cpuinfo` flags, or nil
    /// to let OpenBLAS decide (its own detection is right on older CPUs).
    static func coreType(forFlags flags: Set<Substring>) -> String? {
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") {
            return "SkylakeX"
        }
        if flags.contains("avx2") { return "Haswell" }
        return nil
    }

    /// The flags of the first processor in `/proc/cpuinfo`; empty when unreadable
    /// (not Linux, sandboxed), which leaves the kernel choice to OpenBLAS.
    static func cpuFlags(cpuinfoPath: String = "/proc/cpuinfo") -> Set<Substring> {
        guard let file = fopen(cpuinfoPath, "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags") || text.hasPrefix("Features"),
                  let colon = text.firstIndex(of: ":") else { continue }
            return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
        }
        return []
    }

    /// Sets `OPENBLAS_CORETYPE` from the CPU flags unless the user already did.
    /// Returns the value now in effect (the user's or ours), nil if none.
    @discardableResult
    static func applyIfUnset() -> String? {
        if let existing = getenv("OPENBLAS_CORETYPE") { return String(cString: existing) }
        guard let choice = coreType(forFlags: cpuFlags()) else { return nil }
        setenv("OPENBLAS_CORETYPE", choice, 0)
        return choice
    }
}
