import Engine

/// The mixed-precision search: first the sensitivity measurement with its
/// progress and an estimate of the time left, then the genetic search played
/// at a pace a person can follow (see `SearchProgress`): the generation on
/// screen, feasibility, the best configuration's cost in the budget's own
/// terms, and best/mean objective per generation.
enum SearchPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        let g = Glyphs.forCharset(grid.charset)
        Box(title: "Search", focused: focused).draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height >= 2, inner.width >= 20 else { return }
        // A measurement newer than the search on screen is a new search under way.
        if let sensitivity = s.sensitivity, sensitivity.isNewer(than: s.search) {
            drawSensitivity(sensitivity, s, into: &grid, inner)
            return
        }
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
        var generation = latest.map { "\($0.generation)/\($0.generations)" } ?? "0/\(started.generations)"
        // While the panel plays back a search faster than the eye, it says how far the engine is.
        if search.isCatchingUp, let received = search.received { generation += " (\(received.generation) computed)" }
        grid.putTruncated("gen \(generation) · pop \(started.population) · \(budgetName(started))", x: inner.x + 1, y: y,
                          width: inner.width - 1, role: .text)
        y += 1
        if let latest {
            let feasibleRole: StyleRole = latest.feasible == 0 ? .error : .text
            grid.putTruncated("feasible \(latest.feasible)/\(latest.population)", x: inner.x + 1, y: y, width: inner.width - 1, role: feasibleRole)
            y += 1
            if y < inner.maxY, let cost = search.costLine {
                let label = "\(cost.label) \(cost.cost) / \(cost.limit) "
                let used = grid.put(label, x: inner.x + 1, y: y, role: .text, maxWidth: inner.width - 1)
                HorizontalBar(fraction: cost.fraction, role: cost.fraction <= 1 ? .good : .error)
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
            let unit = started.unit ?? SearchProgress.unit(ofMeasure: started.measure)
            grid.putTruncated("uniform W4 \(started.measure) \(NumberFormat.quantity(started.uniform4Cost, unit: unit))",
                              x: inner.x + 1, y: y, width: inner.width - 1, role: .muted)
            y += 1
        }
        // What the long part took, while the chart keeps its minimum height.
        if let sensitivity = s.sensitivity, sensitivity.isComplete, inner.maxY - y > LineChart.minimumHeight {
            let p = sensitivity.progress
            let text = p.cached == true ? "sensitivities from the cache"
                : "sensitivity: \(p.total) error evaluations in \(NumberFormat.duration(p.seconds))"
            grid.putTruncated(text, x: inner.x + 1, y: y, width: inner.width - 1, role: .muted)
            y += 1
        }
        let chartRect = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
        let gens = search.shown
        guard chartRect.height >= LineChart.minimumHeight, !gens.isEmpty else { return }
        let total = Double(max(latest?.generations ?? started.generations, gens.last?.generation ?? 1))
        LineChart(
            series: [
                .init(points: gens.map { (Double($0.generation), $0.meanObjective) }, role: .meanSeries),
                .init(points: gens.map { (Double($0.generation), $0.bestObjective) }, role: .bestSeries),
            ],
            xRange: 0...total
        ).draw(into: &grid, chartRect)
    }

    /// The budget as given: "size ≤ 3 avg bits", "size ≤ 0.75× W4", "bops ≤ 1.20G BOPs".
    static func budgetName(_ started: SearchStarted) -> String {
        let unit = started.unit ?? SearchProgress.unit(ofMeasure: started.measure)
        switch (started.budgetKind, started.budgetAmount) {
        case ("avgbits", let bits?): return "size ≤ \(NumberFormat.compact(bits)) avg bits"
        case ("relative", let f?): return "\(started.measure) ≤ \(NumberFormat.compact(f))× W4"
        default: return "\(started.measure) ≤ \(NumberFormat.quantity(started.budget, unit: unit))"
        }
    }

    /// The sensitivity measurement: how many error evaluations of how many, on
    /// which block, for how long so far and about how long still.
    static func drawSensitivity(_ status: SensitivityStatus, _ s: DashboardState, into grid: inout CellGrid, _ inner: Rect) {
        let p = status.progress
        var y = inner.y
        let headline = p.cached == true ? "sensitivities from the cache"
            : status.isComplete ? "sensitivity measured · starting the search"
            : "measuring sensitivity"
        grid.putTruncated(headline, x: inner.x + 1, y: y, width: inner.width - 1, role: .text)
        y += 1
        guard y < inner.maxY else { return }
        let count = "\(p.done)/\(p.total) "
        let used = grid.put(count, x: inner.x + 1, y: y, role: .text, maxWidth: inner.width - 1)
        HorizontalBar(fraction: p.total > 0 ? Double(p.done) / Double(p.total) : 0, role: .good)
            .draw(into: &grid, x: inner.x + 1 + used, y: y, width: max(0, inner.width - 2 - used))
        y += 1
        guard y < inner.maxY else { return }
        // The engine's clock of the measurement, run on between reports while it works.
        let running = !s.mode.isReplay && !status.isComplete && s.runState == .searching
        let seconds = p.seconds + (running ? max(0, s.elapsed - status.time) : 0)
        var timing = "\(NumberFormat.duration(seconds)) elapsed"
        if let eta = status.eta { timing += " · ETA \(NumberFormat.duration(max(0, eta - (seconds - p.seconds))))" }
        if !p.unit.isEmpty { timing = "\(LayerName.fit(p.unit, width: 24, charset: grid.charset)) · " + timing }
        grid.putTruncated(timing, x: inner.x + 1, y: y, width: inner.width - 1, role: .muted)
        y += 1
        let explanation = "error evaluations: each layer alone and each pair inside a block, at every candidate bit width"
        for line in OverlayView.wrap(explanation, width: inner.width - 2) where y < inner.maxY {
            grid.put(line, x: inner.x + 1, y: y, role: .muted, maxWidth: inner.width - 1)
            y += 1
        }
    }
}
