import Foundation
import Engine
import Quantization

/// `brecq compare`: two runs of one model. The header names both runs and their
/// top-1; the left panel lists the aligned units with each run's final loss and
/// B's relative to A's; the right panel draws the selected row's loss curves of
/// both runs on one chart, with a legend.
public enum CompareView {
    public static func render(_ c: RunComparison, selected: Int, logY: Bool, size: TerminalSize, charset: Charset) -> CellGrid {
        var grid = CellGrid(width: size.width, height: size.height, charset: charset)
        guard size.width >= 60, size.height >= 12 else {
            grid.put("compare: the terminal is too small (60×12 at least); q quits", x: 0, y: 0, role: .warning, maxWidth: size.width)
            return grid
        }
        let g = Glyphs.forCharset(charset)
        // Header: the two runs and their accuracies.
        grid.fill(Rect(x: 0, y: 0, width: size.width, height: 2), role: .header)
        var x = grid.put(" BrecqQuant compare ", x: 0, y: 0, role: .headerAccent)
        // Both runs with their file names where they fit, otherwise both without: a label is
        // never cut (a cut "r18" of "r18-brecq.jsonl" names no file), and the methods tell the runs apart.
        let full = c.runs.map { "\($0.title) · \(URL(fileURLWithPath: $0.label).lastPathComponent)" }
        let labels = full.reduce(x) { $0 + 3 + grid.displayWidth($1) + 2 } <= size.width ? full : c.runs.map(\.title)
        for (r, label) in labels.enumerated() {
            x += grid.put(" \(r == 0 ? "A" : "B") ", x: x, y: 0, role: r == 0 ? .recSeries : .meanSeries)
            x += grid.put(label + "  ", x: x, y: 0, role: .header, maxWidth: max(0, size.width - x))
        }
        let top1 = c.top1.map { $0.map(NumberFormat.percent) ?? "–" }
        var accuracy = " top-1  A \(top1[0])  B \(top1[1])"
        if let d = c.top1Difference { accuracy += String(format: "  B−A %+.2f pts", d) }
        if let fp = c.fpTop1 { accuracy += "  · FP \(NumberFormat.percent(fp))" }
        // One model (compare refuses two): its input shape, as the live header gives it.
        if let shape = c.runs.first?.session.inputShape {
            accuracy += "  · " + shape.map(String.init).joined(separator: charset == .unicode ? "×" : "x")
        }
        grid.put(accuracy, x: 0, y: 1, role: .header, maxWidth: size.width)

        let bodyY = 2, bodyHeight = size.height - 3
        let leftWidth = max(40, size.width * 2 / 5)
        let left = Rect(x: 0, y: bodyY, width: leftWidth, height: bodyHeight)
        let right = Rect(x: leftWidth, y: bodyY, width: size.width - leftWidth, height: bodyHeight)
        drawRows(c, selected: selected, into: &grid, left, g)
        drawChart(c, selected: selected, logY: logY, into: &grid, right, g)
        var hx = 1
        for (key, action) in [("j/k", "unit"), ("y", logY ? "linear" : "log-y"), ("q", "quit")] {
            hx += grid.put(key, x: hx, y: size.height - 1, role: .hintKey)
            hx += grid.put(" \(action)  ", x: hx, y: size.height - 1, role: .hintText)
        }
        return grid
    }

    static func drawRows(_ c: RunComparison, selected: Int, into grid: inout CellGrid, _ rect: Rect, _ g: Glyphs) {
        Box(title: "Units (final loss)", focused: true).draw(into: &grid, rect)
        let inner = rect.inner
        let lossWidth = 9, diffWidth = 6
        let nameWidth = max(6, inner.width - 3 - 2 * lossWidth - diffWidth - 2)
        let columnsX = inner.x + 3 + nameWidth
        grid.put("unit", x: inner.x + 3, y: inner.y, role: .muted)
        grid.put(pad("A", lossWidth), x: columnsX, y: inner.y, role: .recSeries)
        grid.put(pad("B", lossWidth), x: columnsX + lossWidth, y: inner.y, role: .meanSeries)
        grid.put(pad("B−A", diffWidth + 1), x: columnsX + 2 * lossWidth, y: inner.y, role: .muted)
        let area = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 1))
        // The compare screen has one list, always focused.
        for visible in SelectableList.drawRows(count: c.rows.count, selected: selected, focused: true, in: area,
                                               pointer: g.pointer, into: &grid) {
            let row = c.rows[visible.index], y = visible.y, isSelected = visible.isSelected, base = visible.role
            grid.putTruncated(LayerName.fit(row.name, width: nameWidth, charset: grid.charset), x: inner.x + 3, y: y, width: nameWidth, role: base)
            for r in 0..<2 {
                let text = row.units[r].count == 1 ? (c.finalLoss(run: r, row: row).map(NumberFormat.loss) ?? "")
                    : "\(row.units[r].count) units"
                grid.put(pad(text, lossWidth), x: columnsX + r * lossWidth, y: y, role: row.units[r].count == 1 ? base : .muted)
            }
            if let d = c.difference(row) {
                let role: StyleRole = isSelected ? .selection : d < 0 ? .good : d > 0 ? .error : base
                grid.put(pad(String(format: "%+.0f%%", d), diffWidth + 1), x: columnsX + 2 * lossWidth, y: y, role: role)
            }
        }
    }

    /// Each run's units of the row, their phases laid end to end on one iteration axis.
    static func series(_ c: RunComparison, run r: Int, row: RunComparison.Row) -> (points: [(x: Double, y: Double)], length: Double) {
        var points: [(x: Double, y: Double)] = []
        var offset = 0.0
        for u in row.units[r] {
            let unit = c.runs[r].units[u]
            for phase in unit.phasesRun {
                let curve = unit.curves[phase] ?? LossSeries()
                points += curve.points.map { (offset + Double($0.iteration), $0.reconstruction) }
                offset += Double(max(unit.traces[phase]?.iterations ?? 0, curve.last?.iteration ?? 0))
            }
        }
        return (points, offset)
    }

    static func drawChart(_ c: RunComparison, selected: Int, logY: Bool, into grid: inout CellGrid, _ rect: Rect, _ g: Glyphs) {
        let row = c.rows.indices.contains(selected) ? c.rows[selected] : nil
        let title = "Loss · \(row.map { LayerName.fit($0.name, width: 24, charset: grid.charset) } ?? "")"
        Box(title: title, focused: false).draw(into: &grid, rect)
        let inner = rect.inner
        guard let row, inner.height >= LineChart.minimumHeight else { return }
        let a = series(c, run: 0, row: row), b = series(c, run: 1, row: row)
        // Legend on the top edge, in the series' colours, right of the title; "A" and "B" alone when the methods do not fit.
        let titleEnd = rect.x + 4 + grid.displayWidth(title)
        var labels = (0..<2).map { " \($0 == 0 ? "A" : "B") \(c.runs[$0].session.method) " }
        if titleEnd + labels.reduce(0, { $0 + 1 + grid.displayWidth($1) }) > rect.maxX - 2 { labels = [" A ", " B "] }
        var lx = rect.maxX - 2 - labels.reduce(0) { $0 + 1 + grid.displayWidth($1) }
        for (r, role) in [(0, StyleRole.recSeries), (1, StyleRole.meanSeries)] where lx >= titleEnd {
            grid.set(lx, rect.y, g.legend, role); lx += 1
            lx += grid.put(labels[r], x: lx, y: rect.y, role: .muted)
        }
        guard !a.points.isEmpty || !b.points.isEmpty || c.finalLoss(run: 0, row: row) != nil || c.finalLoss(run: 1, row: row) != nil else {
            grid.put("no iterations recorded (round-to-nearest reconstructs nothing)", x: inner.x + 1, y: inner.y + inner.height / 2,
                     role: .muted, maxWidth: inner.width - 1)
            return
        }
        let length = max(a.length, b.length, 1)
        // Each run's final loss as a labelled line: the only trace of a run that reconstructs nothing (RTN).
        let references: [LineChart.ReferenceLine] = (0..<2).compactMap { r in
            c.finalLoss(run: r, row: row).map {
                .init(y: $0, xFrom: 0, xTo: length, label: "\(r == 0 ? "A" : "B") \(NumberFormat.loss($0))", role: r == 0 ? .recSeries : .meanSeries)
            }
        }
        LineChart(series: [.init(points: a.points, role: .recSeries), .init(points: b.points, role: .meanSeries)],
                  xRange: 0...length, logY: logY, references: references).draw(into: &grid, inner)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let n = text.unicodeScalars.count
        return n >= width ? text : String(repeating: " ", count: width - n) + text
    }
}
