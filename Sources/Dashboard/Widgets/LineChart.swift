import Foundation

/// A line chart with a labelled y axis on the left and x axis below:
/// several series drawn as dot lines, optional log scale and a vertical marker.
struct LineChart {
    struct Series {
        var points: [(x: Double, y: Double)]
        var role: StyleRole
    }

    struct VerticalMarker {
        var x: Double
        var label: String
        var role: StyleRole
    }

    var series: [Series]
    var xRange: ClosedRange<Double>
    var logY = false
    var marker: VerticalMarker?
    var formatY: (Double) -> String = NumberFormat.loss
    var formatX: (Double) -> String = { NumberFormat.count(Int($0.rounded())) }

    /// Rows needed at least: three plot rows, the axis and its labels.
    static let minimumHeight = 5

    func draw(into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= Self.minimumHeight, rect.width >= 16 else { return }
        let g = Glyphs.forCharset(grid.charset)
        let plotRows = rect.height - 2
        func transform(_ y: Double) -> Double? {
            guard y.isFinite else { return nil }
            if logY { return y > 0 ? log10(y) : nil }
            return y
        }
        let values = series.flatMap { $0.points.compactMap { transform($0.y) } }
        guard var low = values.min(), var high = values.max() else {
            grid.put("no data yet", x: rect.x + 2, y: rect.y + plotRows / 2, role: .muted, maxWidth: rect.width - 2)
            return
        }
        if high - low < 1e-12 { let pad = max(abs(high) * 0.1, logY ? 0.5 : 1e-6); low -= pad; high += pad }
        func label(_ t: Double) -> String { formatY(logY ? pow(10, t) : t) }
        let yLabels = [label(high), label((low + high) / 2), label(low)]
        let labelWidth = min(9, yLabels.map { grid.displayWidth($0) }.max() ?? 1)
        let plot = Rect(x: rect.x + labelWidth + 1, y: rect.y, width: rect.width - labelWidth - 1, height: plotRows)

        // Axes.
        for y in plot.y..<plot.maxY { grid.set(plot.x - 1, y, g.vertical, .muted) }
        let axisY = plot.maxY
        grid.set(plot.x - 1, axisY, g.axisCorner, .muted)
        for x in plot.x..<plot.maxX { grid.set(x, axisY, g.horizontal, .muted) }
        for (i, row) in [plot.y, plot.y + (plotRows - 1) / 2, plot.maxY - 1].enumerated() {
            let text = yLabels[i]
            grid.put(text, x: plot.x - 1 - min(labelWidth, grid.displayWidth(text)), y: row, role: .muted, maxWidth: labelWidth)
            grid.set(plot.x - 1, row, g.axisTickY, .muted)
        }
        let xLow = formatX(xRange.lowerBound), xHigh = formatX(xRange.upperBound)
        let xMid = formatX((xRange.lowerBound + xRange.upperBound) / 2)
        grid.put(xLow, x: plot.x, y: axisY + 1, role: .muted)
        grid.put(xMid, x: plot.x + (plot.width - grid.displayWidth(xMid)) / 2, y: axisY + 1, role: .muted)
        grid.put(xHigh, x: plot.maxX - grid.displayWidth(xHigh), y: axisY + 1, role: .muted)

        var canvas = DotCanvas(columns: plot.width, rows: plot.height, charset: grid.charset)
        let span = max(xRange.upperBound - xRange.lowerBound, 1e-12)
        func dot(_ x: Double, _ t: Double) -> (Int, Int) {
            let dx = Int(((x - xRange.lowerBound) / span * Double(canvas.dotWidth - 1)).rounded())
            let dy = Int(((high - t) / (high - low) * Double(canvas.dotHeight - 1)).rounded())
            return (max(0, min(canvas.dotWidth - 1, dx)), max(0, min(canvas.dotHeight - 1, dy)))
        }

        // The marker goes beneath the curves: a dotted column with its label at the top.
        if let marker, xRange.contains(marker.x) {
            let column = plot.x + dot(marker.x, low).0 / canvas.dotsPerColumn
            for y in plot.y..<plot.maxY { grid.set(column, y, g.markerLine, marker.role) }
            let labelX = min(column + 1, plot.maxX - grid.displayWidth(marker.label))
            grid.put(marker.label, x: labelX, y: plot.y, role: marker.role)
        }

        for s in series {
            var previous: (Int, Int)?
            for p in s.points {
                guard let t = transform(p.y) else { previous = nil; continue }
                let d = dot(p.x, t)
                if let previous { canvas.line(previous.0, previous.1, d.0, d.1, role: s.role) } else { canvas.plot(d.0, d.1, role: s.role) }
                previous = d
            }
        }
        canvas.draw(into: &grid, x: plot.x, y: plot.y)
    }
}
