import Engine
import Quantization

/// The Analysis page: every analysed layer worst first (accumulated
/// noise-to-signal with a bar proportional to its energy ratio, isolated KL),
/// and for the selected one its figures and the histograms of its weights and
/// input activations on the quantization grid.
enum AnalysisPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        let trailing = s.analysis.map { "\($0.unitsDone)/\($0.unitCount) units · \($0.report.images) images" } ?? ""
        Box(title: "Analysis", focused: focused, trailing: trailing).draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height >= 6, inner.width >= 40 else { return }
        guard let analysis = s.analysis, !analysis.report.layers.isEmpty else {
            grid.putTruncated("no analysis yet: the engine analyses the layers done after each unit", x: inner.x + 1, y: inner.y,
                              width: inner.width - 1, role: .muted)
            return
        }
        let rows = analysis.report.worstFirst
        let selected = min(max(0, s.analysisSelection), rows.count - 1)
        let detailHeight = min(12, inner.height / 2)
        drawTable(rows, selected: selected, focused: focused, into: &grid,
                  Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - detailHeight))
        drawDetail(rows[selected], into: &grid, Rect(x: inner.x, y: inner.maxY - detailHeight, width: inner.width, height: detailHeight))
    }

    /// Columns: layer, W/A, accumulated dB, isolated KL (both), bar.
    static func drawTable(_ rows: [LayerAnalysis], selected: Int, focused: Bool, into grid: inout CellGrid, _ rect: Rect) {
        let g = Glyphs.forCharset(grid.charset)
        let nameWidth = max(12, min(36, rect.width / 3))
        let fixed = 2 + nameWidth + 6 + 9 + 9 + 2
        let barWidth = max(0, rect.width - fixed)
        func put(_ cells: [(String, Int, Bool)], y: Int, role: StyleRole) {
            var x = rect.x + 2
            for (text, width, right) in cells {
                grid.putTruncated(UnitsPanelView.pad(text, width - (right ? 0 : 1), right: right), x: x, y: y, width: width, role: role)
                x += width
            }
        }
        put([("layer", nameWidth, false), ("W/A", 6, true), ("NSR dB", 9, true), ("iso KL", 9, true)], y: rect.y, role: .muted)
        grid.putTruncated("noise energy", x: rect.x + fixed, y: rect.y, width: barWidth, role: .muted)
        let worst = rows.first?.accumulated.noiseToSignalDecibels ?? 0
        let area = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: max(0, rect.height - 1))
        for visible in SelectableList.drawRows(count: rows.count, selected: selected, focused: focused, in: area,
                                               pointer: g.pointer, into: &grid) {
            let row = rows[visible.index], y = visible.y, role = visible.role
            put([(LayerName.fit(row.layer, width: nameWidth - 1, charset: grid.charset), nameWidth, false),
                 ("\(row.weightBits)/\(NumberFormat.abits(row.activationBits))", 6, true),
                 (NumberFormat.decibels(row.accumulated.noiseToSignalDecibels), 9, true),
                 (row.isolated.map { NumberFormat.divergence($0.both.kl) } ?? "–", 9, true)], y: y, role: role)
            let fraction = barFraction(row, worstDB: worst)
            HorizontalBar(fraction: fraction, role: fraction > 0.5 ? .barHigh : fraction > 0.1 ? .barMid : .barLow)
                .draw(into: &grid, x: rect.x + fixed, y: y, width: barWidth)
        }
    }

    /// A row's bar as a fraction of the worst row's: proportional to the noise-to-signal energy ratio.
    static func barFraction(_ row: LayerAnalysis, worstDB: Double) -> Double {
        AccumulatedError.barFraction(noiseToSignalDecibels: row.accumulated.noiseToSignalDecibels, worstDB: worstDB)
    }

    static func drawDetail(_ row: LayerAnalysis, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 5 else { return }
        let a = row.accumulated
        var line1 = "\(row.layer): accumulated \(NumberFormat.decibels(a.noiseToSignalDecibels)) dB, cos \(String(format: "%.4f", a.cosine))"
        if let iso = row.isolated {
            line1 += " · isolated KL W \(NumberFormat.divergence(iso.weights.kl))"
            line1 += " A \(iso.activations.map { NumberFormat.divergence($0.kl) } ?? "–")"
            line1 += " WA \(NumberFormat.divergence(iso.both.kl)), top-1 changed \(NumberFormat.percent(iso.both.top1Changed))"
        }
        grid.putTruncated(line1, x: rect.x + 1, y: rect.y, width: rect.width - 1, role: .highlight)
        let half = (rect.width - 3) / 2
        let area = Rect(x: rect.x + 1, y: rect.y + 1, width: half, height: rect.height - 1)
        drawHistogram(row.weightStatistics, label: "weights W\(row.weightBits)", into: &grid, area)
        let right = Rect(x: rect.x + 2 + half, y: rect.y + 1, width: half, height: rect.height - 1)
        if let activation = row.activationStatistics {
            drawHistogram(activation, label: "input A\(activation.bits)", into: &grid, right)
        } else {
            grid.putTruncated("input not quantized", x: right.x, y: right.y, width: right.width, role: .muted)
        }
    }

    /// Label line, histogram columns, then the grid row: a tick at every level
    /// (when there is room for them) and brackets at the clipping bounds.
    static func drawHistogram(_ st: QuantizerStatistics, label: String, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 4, rect.width >= 8 else { return }
        let g = Glyphs.forCharset(grid.charset)
        grid.putTruncated("\(label): \(NumberFormat.compact((st.rangeInSteps * 10).rounded() / 10)) steps, clipped \(NumberFormat.percent(st.clippedFraction))",
                          x: rect.x, y: rect.y, width: rect.width, role: .text)
        let h = st.histogram, width = rect.width
        let barRows = rect.height - 2
        let top = rect.y + 1, axis = rect.maxY - 1
        let heights = columnHeights(h, width: width, rows: barRows)
        let ticks = Set(gridColumns(h, width: width) ?? [])
        for c in 0..<width {
            for r in 0..<barRows {
                let y = top + barRows - 1 - r
                if r < heights[c] { grid.set(rect.x + c, y, g.barFull, .recSeries) }
                else if ticks.contains(c) { grid.set(rect.x + c, y, g.markerLine, .muted) }
            }
        }
        for c in 0..<width { grid.set(rect.x + c, axis, g.horizontal, .muted) }
        grid.set(rect.x + column(ofLevel: -0.5, h, width: width), axis, "[", .warning)
        grid.set(rect.x + column(ofLevel: Double(h.maxLevel) + 0.5, h, width: width), axis, "]", .warning)
        for c in ticks { grid.set(rect.x + c, axis, "+", .highlight) }
    }

    /// The column (0..<width) showing `level` of the histogram's axis.
    static func column(ofLevel level: Double, _ h: GridHistogram, width: Int) -> Int {
        let span = h.upper - h.lower
        guard span > 0, level.isFinite else { return 0 }
        return min(width - 1, max(0, Int(((level - h.lower) / span * Double(width)).rounded(.down))))
    }

    /// Columns of the grid levels 0…maxLevel, or nil when they would be closer than two columns apart.
    static func gridColumns(_ h: GridHistogram, width: Int) -> [Int]? {
        guard h.maxLevel >= 0, h.maxLevel + 1 <= width / 2 else { return nil }
        return (0...h.maxLevel).map { column(ofLevel: Double($0), h, width: width) }
    }

    /// Rows filled in each column: the count of the bin under the column's centre, over the largest count.
    static func columnHeights(_ h: GridHistogram, width: Int, rows: Int) -> [Int] {
        let largest = h.counts.max() ?? 0
        guard largest > 0, width > 0 else { return [Int](repeating: 0, count: max(width, 0)) }
        let span = h.upper - h.lower
        return (0..<width).map { c in
            let centre = h.lower + (Double(c) + 0.5) / Double(width) * span
            let count = h.counts[h.bin(ofLevel: centre)]
            guard count > 0 else { return 0 }
            return max(1, Int((Double(count) / Double(largest) * Double(rows)).rounded()))
        }
    }
}
