import Engine

/// The genetic mixed-precision search: progress, feasibility, the best
/// configuration's cost against the budget, and best/mean objective per generation.
enum SearchPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        let g = Glyphs.forCharset(grid.charset)
        Box(title: "Search", focused: focused).draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height >= 2, inner.width >= 20 else { return }
        guard let search = s.search else {
            grid.put("no search yet", x: inner.x + 1, y: inner.y, role: .muted, maxWidth: inner.width - 1)
            if !s.mode.isReplay {
                grid.putTruncated("m starts the mixed-precision search", x: inner.x + 1, y: inner.y + 1, width: inner.width - 1, role: .muted)
            }
            return
        }
        // Legend in the top edge, in the series' colours.
        let legendX = rect.maxX - 15
        if legendX > rect.x + 10 {
            grid.set(legendX, rect.y, g.legend, .bestSeries)
            grid.put(" best ", x: legendX + 1, y: rect.y, role: .muted)
            grid.set(legendX + 7, rect.y, g.legend, .meanSeries)
            grid.put(" mean", x: legendX + 8, y: rect.y, role: .muted)
        }
        let started = search.started
        var y = inner.y
        let latest = search.latest
        let generation = latest.map { "\($0.generation)/\($0.generations)" } ?? "0/\(started.generations)"
        grid.putTruncated("gen \(generation) · pop \(started.population) · \(started.measure)", x: inner.x + 1, y: y, width: inner.width - 1, role: .text)
        y += 1
        if let latest {
            let feasibleRole: StyleRole = latest.feasible == 0 ? .error : .text
            grid.putTruncated("feasible \(latest.feasible)/\(latest.population)", x: inner.x + 1, y: y, width: inner.width - 1, role: feasibleRole)
            y += 1
            if y < inner.maxY {
                let label = "cost \(NumberFormat.compact(latest.bestCost))/\(NumberFormat.compact(latest.budget)) "
                let used = grid.put(label, x: inner.x + 1, y: y, role: .text, maxWidth: inner.width - 1)
                let fraction = latest.budget > 0 ? latest.bestCost / latest.budget : 0
                HorizontalBar(fraction: fraction, role: fraction <= 1 ? .good : .error)
                    .draw(into: &grid, x: inner.x + 1 + used, y: y, width: max(0, inner.width - 2 - used))
                y += 1
            }
            if let mix = search.bestMix, y < inner.maxY {
                grid.putTruncated("best \(mix)", x: inner.x + 1, y: y, width: inner.width - 1, role: .text)
                y += 1
            }
        } else {
            grid.put("waiting for the first generation…", x: inner.x + 1, y: y, role: .muted, maxWidth: inner.width - 1)
            y += 1
        }
        if started.uniform4Cost.isFinite, y < inner.maxY {
            grid.putTruncated("uniform W4 cost \(NumberFormat.compact(started.uniform4Cost))", x: inner.x + 1, y: y, width: inner.width - 1, role: .muted)
            y += 1
        }
        let chartRect = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        guard chartRect.height >= LineChart.minimumHeight, !search.generations.isEmpty else { return }
        let gens = search.generations
        let total = Double(max(latest?.generations ?? started.generations, gens.last?.generation ?? 1))
        LineChart(
            series: [
                .init(points: gens.map { (Double($0.generation), $0.meanObjective) }, role: .meanSeries),
                .init(points: gens.map { (Double($0.generation), $0.bestObjective) }, role: .bestSeries),
            ],
            xRange: 0...total,
            formatY: NumberFormat.loss
        ).draw(into: &grid, chartRect)
    }
}
