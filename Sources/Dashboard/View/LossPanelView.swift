import Quantization
import Engine

/// The selected unit's reconstruction loss and regulariser over iterations,
/// with the warm-up end marked, and below it every finished unit's final loss.
enum LossPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        let unit = s.units.indices.contains(s.selectedUnit) ? s.units[s.selectedUnit] : nil
        let title = unit.map { "Loss · \(LayerName.fit($0.info.name, width: 32, charset: grid.charset))\($0.phase == .weights ? "" : " (\($0.phase.rawValue))")" } ?? "Loss"
        Box(title: title, focused: focused).draw(into: &grid, rect)
        drawLegend(s, into: &grid, rect)
        let inner = rect.inner
        guard inner.height >= 3, inner.width > 10 else { return }

        let overviewRows = inner.height >= 10 ? 2 : 1
        let chartRect = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - overviewRows)
        if let unit, let curve = unit.curve, !curve.isEmpty {
            let total = Double(max(unit.iterations, curve.last?.iteration ?? 1))
            LineChart(
                series: [
                    .init(points: curve.points.map { (Double($0.iteration), $0.regularizer) }, role: .regSeries, rightAxis: true),
                    .init(points: curve.points.map { (Double($0.iteration), $0.reconstruction) }, role: .recSeries),
                ],
                xRange: 0...total,
                logY: s.logScale,
                marker: unit.warmupIterations > 0 && unit.phase != .activations
                    ? .init(x: Double(unit.warmupIterations), label: "warm-up", role: .warmupMarker) : nil
            ).draw(into: &grid, chartRect)
        } else {
            let message = unit == nil ? "waiting for the session…"
                : unit!.status == .pending ? "not started yet" : "no iterations recorded for this unit"
            grid.put(message, x: inner.x + 2, y: inner.y + chartRect.height / 2, role: .muted, maxWidth: inner.width - 2)
        }
        drawOverview(s, into: &grid, Rect(x: inner.x, y: inner.maxY - overviewRows, width: inner.width, height: overviewRows))
    }

    /// "● rec ● reg" in the series' colours at the right of the top edge, plus the current β.
    static func drawLegend(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        let g = Glyphs.forCharset(grid.charset)
        let scale = s.logScale ? "log" : "lin"
        let beta = s.currentBeta.map { " β \(NumberFormat.compact(($0 * 10).rounded() / 10))" } ?? ""
        var legendWidth = 14 + grid.displayWidth(scale + beta)
        var x = rect.maxX - 1 - legendWidth - 1
        let shown = beta.isEmpty || x > rect.x + 24 ? beta : ""
        if shown.isEmpty { legendWidth = 14 + grid.displayWidth(scale); x = rect.maxX - 1 - legendWidth - 1 }
        guard x > rect.x + 18 else { return }
        x += grid.put(" ", x: x, y: rect.y, role: .muted)
        grid.set(x, rect.y, g.legend, .recSeries); x += 1
        x += grid.put(" rec ", x: x, y: rect.y, role: .muted)
        grid.set(x, rect.y, g.legend, .regSeries); x += 1
        x += grid.put(" reg ", x: x, y: rect.y, role: .muted)
        grid.put("\(scale)\(shown) ", x: x, y: rect.y, role: .muted)
    }

    /// One sparkline cell per unit (log-scaled final loss) and the worst unit named.
    static func drawOverview(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height > 0 else { return }
        let label = "final loss/unit "
        var x = rect.x
        x += grid.put(label, x: x, y: rect.y, role: .muted)
        let finals = s.units.map { $0.lossAfter }
        if finals.allSatisfy({ $0 == nil }) {
            grid.put("(none finished yet)", x: x, y: rect.y, role: .muted, maxWidth: rect.maxX - x)
            return
        }
        let width = rect.maxX - x
        Sparkline(values: finals).draw(into: &grid, x: x, y: rect.y, width: width)
        guard let worst = UnitsPanelView.worstUnit(s), let loss = s.units[worst].lossAfter else { return }
        let text = "worst: \(worst + 1) \(LayerName.fit(s.units[worst].info.name, width: 32, charset: grid.charset)) \(NumberFormat.loss(loss))"
        if rect.height >= 2 {
            grid.putTruncated(text, x: rect.x, y: rect.y + 1, width: rect.width, role: .error)
        } else if finals.count + grid.displayWidth(text) + 1 <= width {
            grid.put(text, x: x + finals.count + 1, y: rect.y, role: .error)
        }
    }
}
