import Foundation

/// The three labelled ticks of a chart's value axis (top, middle, bottom).
///
/// The axis is widened to round numbers at a decimal quantum fine enough that
/// the padding stays small, and the labels are printed at that quantum, so
/// that every label differs from its neighbours (no `0.011` twice), the top
/// label is at or above the data and the bottom one at or below it, and each
/// label is exactly the value at its row. A flat series gets ±5 % around its
/// value (0 gets 0…1) instead of a meaningless ±1e-6.
struct AxisTicks: Equatable {
    var low: Double
    var high: Double
    /// Top, middle, bottom.
    var labels: [String]

    var middle: Double { (low + high) / 2 }

    /// Linear ticks bracketing `low...high`.
    static func linear(low dataLow: Double, high dataHigh: Double) -> AxisTicks {
        var low = min(dataLow, dataHigh), high = max(dataLow, dataHigh)
        if !(high - low > max(abs(high), abs(low)) * 1e-9) {
            let v = (low + high) / 2
            let pad = v == 0 ? 0.5 : abs(v) * 0.05
            (low, high) = v == 0 ? (0, 1) : (v - pad, v + pad)
        }
        let range = high - low
        // The coarse quantum puts about two steps in the range; the fine one twenty.
        let coarse = floor(log10(range / 2))
        for exponent in [coarse, coarse - 1] {
            let q = pow(10, exponent)
            var lo = (low / q * (1 + 1e-12)).rounded(.down)
            var hi = (high / q * (1 - 1e-12)).rounded(.up)
            // Floating point must not unbracket the data (beyond its last few bits).
            let slack = range * 1e-9
            if lo * q > low + slack { lo -= 1 }
            if hi * q < high - slack { hi += 1 }
            // An odd number of quanta would put the middle tick between two of them.
            if Int(hi - lo) % 2 == 1 { hi += 1 }
            guard (hi - lo) * q <= range * 1.3 || exponent == coarse - 1 else { continue }
            let mid = (lo + hi) / 2
            let labels = [hi, mid, lo].map { format($0, exponent: Int(exponent)) }
            return AxisTicks(low: lo * q, high: hi * q, labels: labels)
        }
        preconditionFailure("the fine quantum always fits")
    }

    /// Log-scale ticks over `lowExponent...highExponent` (log10 of the values):
    /// the ends rounded outwards to two significant digits, the middle the
    /// geometric mean, each printed with the fewest significant digits that keep
    /// the three apart.
    static func logarithmic(lowExponent: Double, highExponent: Double) -> AxisTicks {
        var lo = min(lowExponent, highExponent), hi = max(lowExponent, highExponent)
        if hi - lo < 1e-9 { lo -= 0.1; hi += 0.1 }
        func rounded(_ t: Double, up: Bool) -> Double {
            let v = pow(10, t)
            let q = pow(10, floor(t) - 1)   // two significant digits
            let r = (up ? (v / q * (1 - 1e-12)).rounded(.up) : (v / q * (1 + 1e-12)).rounded(.down)) * q
            return log10(max(r, q))
        }
        let low = rounded(lo, up: false), high = rounded(hi, up: true)
        let values = [pow(10, high), pow(10, (low + high) / 2), pow(10, low)]
        for digits in 2...8 {
            let labels = values.map { significant($0, digits: digits) }
            if Set(labels).count == labels.count { return AxisTicks(low: low, high: high, labels: labels) }
        }
        return AxisTicks(low: low, high: high, labels: values.map { significant($0, digits: 8) })
    }

    /// `n × 10^exponent` printed exactly at that quantum: fixed-point for
    /// ordinary magnitudes, scientific (mantissa digits down to the quantum) otherwise.
    static func format(_ n: Double, exponent: Int) -> String {
        let v = n * pow(10, Double(exponent))
        if n == 0 { return "0" }
        let magnitude = Int(floor(log10(abs(v)) + 1e-9))
        if magnitude >= -3 && magnitude < 6 && exponent >= -6 {
            return String(format: "%.\(max(0, -exponent))f", v)
        }
        let mantissaDigits = max(0, magnitude - exponent)
        return scientific(v, decimals: mantissaDigits)
    }

    static func significant(_ v: Double, digits: Int) -> String {
        if v == 0 { return "0" }
        let magnitude = Int(floor(log10(abs(v))))
        if magnitude >= -3 && magnitude < 6 { return String(format: "%.\(max(0, digits - 1 - magnitude))f", v) }
        return scientific(v, decimals: digits - 1)
    }

    /// "1.5e-9" rather than "1.5e-09": narrow panels count every column.
    static func scientific(_ v: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)e", v).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e")
            .replacingOccurrences(of: "e+", with: "e")
    }
}
