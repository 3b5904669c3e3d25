import Foundation

/// A line chart with a labelled y axis on the left and x axis below:
/// several series drawn as dot lines, optional log scale and a vertical marker.
struct LineChart {
    struct Series {
        var points: [(x: Double, y: Double)]
        var role: StyleRole
        /// Series on the right axis get their own scale, labelled in their colour:
        /// the regulariser is often a hundred times the reconstruction loss.
        var rightAxis = false
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
        func range(_ right: Bool) -> (Double, Double)? {
            let values = series.filter { $0.rightAxis == right }.flatMap { $0.points.compactMap { transform($0.y) } }
            guard var low = values.min(), var high = values.max() else { return nil }
            if high - low < 1e-12 { let pad = max(abs(high) * 0.1, logY ? 0.5 : 1e-6); low -= pad; high += pad }
            return (low, high)
        }
        let left = range(false), right = range(true)
        guard left != nil || right != nil else {
            grid.put("no data yet", x: rect.x + 2, y: rect.y + plotRows / 2, role: .muted, maxWidth: rect.width - 2)
            return
        }
        func label(_ t: Double) -> String { formatY(logY ? pow(10, t) : t) }
        func labels(_ r: (Double, Double)?) -> [String] {
            guard let (low, high) = r else { return [] }
            return [label(high), label((low + high) / 2), label(low)]
        }
        let leftLabels = labels(left), rightLabels = labels(right)
        let leftWidth = min(9, leftLabels.map { grid.displayWidth($0) }.max() ?? 0)
        let rightWidth = min(9, rightLabels.map { grid.displayWidth($0) }.max() ?? 0)
        let plot = Rect(x: rect.x + leftWidth + 1, y: rect.y,
                        width: rect.width - leftWidth - 1 - (rightWidth > 0 ? rightWidth + 1 : 0), height: plotRows)
        let rightRole = series.first { $0.rightAxis }?.role ?? .muted

        // Axes.
        for y in plot.y..<plot.maxY { grid.set(plot.x - 1, y, g.vertical, .muted) }
        let axisY = plot.maxY
        grid.set(plot.x - 1, axisY, g.axisCorner, .muted)
        for x in plot.x..<plot.maxX { grid.set(x, axisY, g.horizontal, .muted) }
        let labelRows = [plot.y, plot.y + (plotRows - 1) / 2, plot.maxY - 1]
        for (i, row) in labelRows.enumerated() {
            if i < leftLabels.count {
                let text = leftLabels[i]
                grid.put(text, x: plot.x - 1 - min(leftWidth, grid.displayWidth(text)), y: row, role: .muted, maxWidth: leftWidth)
                grid.set(plot.x - 1, row, g.axisTickY, .muted)
            }
            if i < rightLabels.count {
                grid.put(rightLabels[i], x: plot.maxX + 1, y: row, role: rightRole, maxWidth: rightWidth)
            }
        }
        if rightWidth > 0 { for y in plot.y..<plot.maxY where !labelRows.contains(y) { grid.set(plot.maxX, y, g.vertical, .muted) } }
        let xLow = formatX(xRange.lowerBound), xHigh = formatX(xRange.upperBound)
        let xMid = formatX((xRange.lowerBound + xRange.upperBound) / 2)
        grid.put(xLow, x: plot.x, y: axisY + 1, role: .muted)
        grid.put(xMid, x: plot.x + (plot.width - grid.displayWidth(xMid)) / 2, y: axisY + 1, role: .muted)
        grid.put(xHigh, x: plot.maxX - grid.displayWidth(xHigh), y: axisY + 1, role: .muted)

        var canvas = DotCanvas(columns: plot.width, rows: plot.height, charset: grid.charset)
        let span = max(xRange.upperBound - xRange.lowerBound, 1e-12)
        func dot(_ x: Double, _ t: Double, _ r: (Double, Double)) -> (Int, Int) {
            let (low, high) = r
            let dx = Int(((x - xRange.lowerBound) / span * Double(canvas.dotWidth - 1)).rounded())
            let dy = Int(((high - t) / (high - low) * Double(canvas.dotHeight - 1)).rounded())
            return (max(0, min(canvas.dotWidth - 1, dx)), max(0, min(canvas.dotHeight - 1, dy)))
        }

        // The marker goes beneath the curves: a dotted column with its label at the top.
        if let marker, xRange.contains(marker.x) {
            let column = plot.x + dot(marker.x, 0, (0, 1)).0 / canvas.dotsPerColumn
            for y in plot.y..<plot.maxY { grid.set(column, y, g.markerLine, marker.role) }
            // The label sits on the x axis, where no curve can cover it.
            let labelX = min(column + 1, plot.maxX - grid.displayWidth(marker.label))
            grid.set(column, axisY, g.axisTickX, marker.role)
            grid.put(marker.label, x: labelX, y: axisY, role: marker.role)
        }

        for s in series {
            guard let r = s.rightAxis ? right : left else { continue }
            var previous: (Int, Int)?
            for p in s.points {
                guard let t = transform(p.y) else { previous = nil; continue }
                let d = dot(p.x, t, r)
                if let previous { canvas.line(previous.0, previous.1, d.0, d.1, role: s.role) } else { canvas.plot(d.0, d.1, role: s.role) }
                previous = d
            }
        }
        canvas.draw(into: &grid, x: plot.x, y: plot.y)
    }
}
