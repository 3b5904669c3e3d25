import Foundation

/// Short, fixed-width-friendly number formats for narrow panels.
enum NumberFormat {
    /// Losses span many decades: three significant digits, scientific when small or large.
    static func loss(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : "inf" }
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 0.01 && a < 1000 { return String(format: a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v) }
        return String(format: "%.2e", v).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e")
            .replacingOccurrences(of: "e+", with: "e")
    }

    /// General values (λ, budgets, speeds): up to 4 significant digits, no trailing zeros.
    static func compact(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "–" : "inf" }
        if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
        let a = abs(v)
        if a >= 1e-3 && a < 1e7 {
            var s = String(format: "%.4g", v)
            if s.contains("e") { s = String(format: "%.3f", v) }
            return s
        }
        return String(format: "%.1e", v).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e")
            .replacingOccurrences(of: "e+", with: "e")
    }

    /// A KL divergence, never below zero: summed in float, a layer that changes
    /// nothing (an 8-bit stem) comes out as -1e-7, which would read as a
    /// negative divergence. Rounding noise that small is shown as 0.
    static func divergence(_ v: Double) -> String {
        v < 0 && v > -1e-5 ? "0" : compact(v)
    }

    /// Accuracies arrive as fractions (0…1); values above 1 are taken as already in percent.
    static func percent(_ v: Double) -> String {
        String(format: "%.2f%%", v <= 1 ? v * 100 : v)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let s = Int(seconds.rounded())
        if s < 60 { return seconds < 10 ? String(format: "%.1fs", seconds) : "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        // A 224×224 run at the paper's iterations is days on a small machine: "3d04h", not "76h00m".
        if s < 48 * 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        return String(format: "%dd%02dh", s / 86_400, (s % 86_400) / 3600)
    }

    /// Iteration speed, "2.1 it/s"; below one iteration a second the seconds each
    /// takes, "12.5 s/it" (as tqdm does), so that a slow 224×224 unit never reads "0 it/s".
    static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond > 0 else { return "– it/s" }
        if perSecond >= 0.95 { return "\(compact((perSecond * 10).rounded() / 10)) it/s" }
        return "\(compact((10 / perSecond).rounded() / 10)) s/it"
    }

    /// Session clock "mm:ss" or "h:mm:ss".
    static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                         : String(format: "%02d:%02d", s / 60, s % 60)
    }

    /// Binary units, named as such (KiB, MiB): the figures are powers of 1024.
    static func bytes(_ n: Double) -> String {
        if n < 1024 { return "\(Int(n)) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KiB", n / 1024) }
        return String(format: "%.2f MiB", n / (1024 * 1024))
    }

    static func count(_ n: Int) -> String {
        if n < 10_000 { return String(n) }
        if n < 1_000_000 { return String(format: "%.1fk", Double(n) / 1000) }
        return String(format: "%.2fM", Double(n) / 1e6)
    }

    /// A hardware cost with its unit and an SI prefix where it helps: "3.10M bits", "1.20G BOPs", "341 µs".
    static func quantity(_ v: Double, unit: String) -> String {
        guard v.isFinite else { return v.isNaN ? "–" : "inf" }
        let suffix = unit.isEmpty ? "" : " " + unit
        let a = abs(v)
        for (scale, prefix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where a >= scale {
            return String(format: "%.2f", v / scale) + prefix + suffix
        }
        return compact(v) + suffix
    }

    /// Signal-to-noise in dB with one decimal, e.g. "21.3".
    static func decibels(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        return String(format: "%.1f", v)
    }

    /// 32 means the activations are not quantized.
    static func abits(_ bits: Int) -> String { bits >= 32 ? "fp" : String(bits) }
}
