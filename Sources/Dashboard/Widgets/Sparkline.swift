import Foundation

/// One cell per value, its height on eight levels. Values span decades (losses),
/// so heights are log-scaled; the largest value is drawn in the alarm colour.
struct Sparkline {
    var values: [Double?]
    var logScale = true

    func draw(into grid: inout CellGrid, x: Int, y: Int, width: Int) {
        let g = Glyphs.forCharset(grid.charset)
        let shown = Array(values.prefix(width))
        func scaled(_ v: Double) -> Double? {
            guard v.isFinite else { return nil }
            return logScale ? (v > 0 ? log10(v) : nil) : v
        }
        let known = shown.compactMap { $0.flatMap(scaled) }
        guard let low = known.min(), let high = known.max() else { return }
        for (i, value) in shown.enumerated() {
            guard let v = value, let t = scaled(v) else {
                grid.set(x + i, y, g.barEmpty, .muted)
                continue
            }
            let fraction = high - low < 1e-12 ? 1 : (t - low) / (high - low)
            let level = max(0, min(7, Int((fraction * 7).rounded())))
            let role: StyleRole = t == high ? .barHigh : level >= 4 ? .barMid : .barLow
            grid.set(x + i, y, g.sparks[level], role)
        }
    }
}
