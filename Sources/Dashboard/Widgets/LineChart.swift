import Foundation

/// A line chart with a labelled y axis on the left and x axis below: several
/// series drawn as dot lines, optional log scale, vertical markers (warm-up
/// end, phase boundary) and labelled horizontal reference lines.
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

    /// A horizontal line at `y` (left axis) over `xFrom...xTo`, its label at its right end.
    struct ReferenceLine {
        var y: Double
        var xFrom: Double
        var xTo: Double
        var label: String
        var role: StyleRole
    }

    var series: [Series]
    var xRange: ClosedRange<Double>
    var logY = false
    var markers: [VerticalMarker] = []
    var references: [ReferenceLine] = []
    var formatX: (Double) -> String = { NumberFormat.count(Int($0.rounded())) }

    /// Rows needed at least: three plot rows, the axis and its labels.
    static let minimumHeight = 5

    /// The ticks of the left or right axis for what would be drawn on it (nil: nothing to draw).
    func ticks(rightAxis: Bool) -> AxisTicks? {
        var values = series.filter { $0.rightAxis == rightAxis }.flatMap { $0.points.compactMap { transform($0.y) } }
        if !rightAxis { values += references.compactMap { transform($0.y) } }
        guard let low = values.min(), let high = values.max() else { return nil }
        return logY ? AxisTicks.logarithmic(lowExponent: low, highExponent: high) : AxisTicks.linear(low: low, high: high)
    }

    private func transform(_ y: Double) -> Double? {
        guard y.isFinite else { return nil }
        if logY { return y > 0 ? log10(y) : nil }
        return y
    }

    func draw(into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= Self.minimumHeight, rect.width >= 16 else { return }
        let g = Glyphs.forCharset(grid.charset)
        let plotRows = rect.height - 2
        let left = ticks(rightAxis: false), right = ticks(rightAxis: true)
        guard left != nil || right != nil else {
            grid.put("no data yet", x: rect.x + 2, y: rect.y + plotRows / 2, role: .muted, maxWidth: rect.width - 2)
            return
        }
        let leftLabels = left?.labels ?? [], rightLabels = right?.labels ?? []
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
        func dotX(_ x: Double) -> Int {
            let dx = Int(((x - xRange.lowerBound) / span * Double(canvas.dotWidth - 1)).rounded())
            return max(0, min(canvas.dotWidth - 1, dx))
        }
        func dotY(_ t: Double, _ axis: AxisTicks) -> Int {
            let dy = Int(((axis.high - t) / (axis.high - axis.low) * Double(canvas.dotHeight - 1)).rounded())
            return max(0, min(canvas.dotHeight - 1, dy))
        }

        // Markers go beneath the curves: a dotted column each, labelled on the x axis,
        // where no curve can cover them; a label that would overlap the previous one moves right.
        var labelEnd = plot.x
        for marker in markers.sorted(by: { $0.x < $1.x }) where xRange.contains(marker.x) {
            let column = plot.x + dotX(marker.x) / canvas.dotsPerColumn
            for y in plot.y..<plot.maxY { grid.set(column, y, g.markerLine, marker.role) }
            grid.set(column, axisY, g.axisTickX, marker.role)
            let width = grid.displayWidth(marker.label)
            let labelX = min(max(column + 1, labelEnd), plot.maxX - width)
            guard labelX >= labelEnd else { continue }
            grid.put(marker.label, x: labelX, y: axisY, role: marker.role)
            labelEnd = labelX + width + 1
        }

        // Reference lines, beneath the curves as well; their labels are drawn last, on top.
        let dash: Unicode.Scalar = grid.charset == .unicode ? "╌" : "="
        var referenceLabels: [(text: String, row: Int, end: Int, role: StyleRole)] = []
        if let left {
            for line in references {
                guard let t = transform(line.y) else { continue }
                let row = plot.y + dotY(t, left) / canvas.dotsPerRow
                let from = plot.x + dotX(max(line.xFrom, xRange.lowerBound)) / canvas.dotsPerColumn
                let to = plot.x + dotX(min(line.xTo, xRange.upperBound)) / canvas.dotsPerColumn
                guard from <= to else { continue }
                for x in from...to { grid.set(x, row, dash, line.role) }
                referenceLabels.append((line.label, row, to + 1, line.role))
            }
        }

        for s in series {
            guard let axis = s.rightAxis ? right : left else { continue }
            var previous: (Int, Int)?
            for p in s.points {
                guard let t = transform(p.y) else { previous = nil; continue }
                let d = (dotX(p.x), dotY(t, axis))
                if let previous { canvas.line(previous.0, previous.1, d.0, d.1, role: s.role) } else { canvas.plot(d.0, d.1, role: s.role) }
                previous = d
            }
        }
        canvas.draw(into: &grid, x: plot.x, y: plot.y)

        // Labels end at their line's right end; two on one row sit side by side.
        var taken: [Int: Int] = [:]   // row → leftmost column used by a label
        for label in referenceLabels {
            let width = grid.displayWidth(label.text)
            var end = min(label.end, plot.maxX)
            if let used = taken[label.row] { end = min(end, used - 1) }
            let x = max(plot.x, end - width)
            guard x + width <= plot.maxX else { continue }
            grid.put(label.text, x: x, y: label.row, role: label.role)
            taken[label.row] = x
        }
    }
}
