import Engine
import Foundation
import Quantization

/// What AdaRound's rounding is doing to the selected unit's layers, from its
/// latest rounding event, one row per layer under the loss chart: the flips
/// (weights now sent to the other grid point than round-to-nearest) as a bar
/// and a percentage, the histogram of h(α) over [0, 1] in ten cells (flat at
/// the start, piling up at both ends as β anneals), and the share still
/// undecided (0.1 < h < 0.9).
enum RoundingStripView {
    /// Flips at which the bar is full: AdaRound moves a small share of the
    /// weights, so a scale of the whole layer would leave every bar nearly empty.
    static let fullBarFlipPercent = 50.0
    static let barWidth = 6
    static let percentWidth = 6
    /// The chart keeps at least this many rows.
    static let minimumChartRows = 8

    /// Rows the strip takes out of `available` (header plus one per layer that
    /// fits); 0 when the unit has no rounding event or there is no room.
    static func rows(for unit: UnitProgress?, available: Int) -> Int {
        guard let snapshot = unit?.rounding, !snapshot.layers.isEmpty else { return 0 }
        let rows = min(1 + snapshot.layers.count, available - minimumChartRows)
        return rows >= 2 ? rows : 0
    }

    static func draw(_ snapshot: RoundingSnapshot, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 2, rect.width >= 30 else { return }
        let g = Glyphs.forCharset(grid.charset)
        let bins = LayerRoundingStatistics.bins
        let fixed = 1 + barWidth + percentWidth + 1 + bins + percentWidth
        let nameWidth = max(6, min(20, rect.width - fixed - 1))
        let x0 = rect.x + 1
        let barX = x0 + nameWidth + 1
        let histogramX = barX + barWidth + percentWidth + 1
        let undecidedX = histogramX + bins

        // Header: when it was measured, then the columns.
        let beta = snapshot.beta.map { " β \(NumberFormat.compact(($0 * 10).rounded() / 10))" } ?? " warm-up"
        grid.putTruncated("it \(snapshot.iteration)\(beta)", x: x0, y: rect.y, width: nameWidth + 1 + barWidth, role: .muted)
        grid.put(pad("flips", percentWidth), x: barX + barWidth, y: rect.y, role: .muted)
        grid.put(grid.charset == .unicode ? "h(α) 0→1" : "h(a) 0-1", x: histogramX, y: rect.y, role: .muted, maxWidth: bins)
        grid.put(pad("undec", percentWidth), x: undecidedX, y: rect.y, role: .muted, maxWidth: rect.maxX - undecidedX)

        let rows = rect.height - 1
        let hidden = max(0, snapshot.layers.count - rows)
        let shown = hidden > 0 ? rows - 1 : rows
        for (i, layer) in snapshot.layers.prefix(shown).enumerated() {
            let y = rect.y + 1 + i
            grid.putTruncated(LayerName.fit(layer.layer, width: nameWidth, charset: grid.charset), x: x0, y: y, width: nameWidth, role: .text)
            HorizontalBar(fraction: layer.flipPercent / fullBarFlipPercent, role: .barMid)
                .draw(into: &grid, x: barX, y: y, width: barWidth)
            grid.put(pad(percent(layer.flipPercent), percentWidth), x: barX + barWidth, y: y, role: .text)
            drawHistogram(layer.histogram, glyphs: g, into: &grid, x: histogramX, y: y)
            grid.put(pad(percent(layer.undecidedPercent), percentWidth), x: undecidedX, y: y, role: .muted,
                     maxWidth: rect.maxX - undecidedX)
        }
        if hidden > 0 {
            grid.put("+\(hidden + 1) more layers", x: x0, y: rect.y + rows, role: .muted, maxWidth: rect.width - 1)
        }
    }

    /// One cell per bin, heights in proportion to the fullest bin (linear: the
    /// two end bins of a decided layer should tower over the middle); an
    /// empty bin is drawn as the empty-bar glyph so the ten cells stay visible.
    static func drawHistogram(_ counts: [Int], glyphs g: Glyphs, into grid: inout CellGrid, x: Int, y: Int) {
        let top = counts.max() ?? 0
        for (i, n) in counts.prefix(LayerRoundingStatistics.bins).enumerated() {
            guard n > 0, top > 0 else { grid.set(x + i, y, g.barEmpty, .muted); continue }
            let level = max(0, min(7, Int((Double(n) / Double(top) * 7).rounded())))
            grid.set(x + i, y, g.sparks[level], i == 0 || i == counts.count - 1 ? .barHigh : .barLow)
        }
    }

    /// "4.1%", "100%", "0.0%": one decimal below 100.
    static func percent(_ value: Double) -> String {
        value >= 99.95 ? "100%" : String(format: "%.1f%%", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let n = text.unicodeScalars.count
        return n >= width ? text : String(repeating: " ", count: width - n) + text
    }
}
