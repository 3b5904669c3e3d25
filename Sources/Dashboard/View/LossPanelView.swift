import Foundation
import Quantization
import Engine

/// The selected unit's reconstruction: the soft-rounded batch loss the
/// optimiser sees, per phase side by side (weights, then activations), the
/// rounding regulariser while it is in play, and two labelled reference lines
/// per phase — the loss with plain rounding (`rtn`, where the unit's "before"
/// comes from) and the latest hard-rounded loss over the calibration set
/// (`hard`, which ends as the unit's "after"). Below, every finished unit's
/// relative output error, so the weak unit stands out.
enum LossPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        let unit = s.units.indices.contains(s.selectedUnit) ? s.units[s.selectedUnit] : nil
        // "block1 (layer1.0)": the engine's name and the module the user knows from the model.
        // Only where the legend at the title's right leaves room: a cut "(fe" would say nothing.
        let title = unit.map { "Loss · \(LayerName.fit($0.info.name, width: 32, charset: grid.charset))"
            + (rect.width >= 70 ? ModuleName.of($0.info).map { " (\($0))" } ?? "" : "") } ?? "Loss"
        Box(title: title, focused: focused).draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height >= 3, inner.width > 10 else { return }

        let overviewRows = inner.height >= 10 ? 2 : 1
        // The rounding strip (flips, h(α)) sits between the chart and the overview when the unit has one.
        let roundingRows = RoundingStripView.rows(for: unit, available: inner.height - overviewRows)
        let chartRect = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - overviewRows - roundingRows)
        if roundingRows > 0, let rounding = unit?.rounding {
            RoundingStripView.draw(rounding, into: &grid, Rect(x: inner.x, y: chartRect.maxY, width: inner.width, height: roundingRows))
        }
        if let unit, let chart = chart(for: unit, logY: s.logScale) {
            chart.draw(into: &grid, chartRect)
            drawLegend(s, unit: unit, chart: chart, into: &grid, rect)
        } else {
            // The next unit to run, while the engine prepares it: what it is doing rather than "not started".
            let isNext = s.currentUnit == nil && s.units.firstIndex { $0.status == .pending } == s.selectedUnit
            let message = unit == nil ? s.waitingText
                : unit!.status == .pending ? (isNext ? s.activity ?? "not started yet" : "not started yet")
                : "no iterations recorded for this unit"
            grid.put(message, x: inner.x + 2, y: inner.y + chartRect.height / 2, role: .muted, maxWidth: inner.width - 2)
        }
        drawOverview(s, into: &grid, Rect(x: inner.x, y: inner.maxY - overviewRows, width: inner.width, height: overviewRows))
    }

    /// The curve's role per phase: the activations phase (a different loss,
    /// p = 2.4 with the activation quantizers on) must not pass for the weights phase.
    static func role(of phase: UnitPhase) -> StyleRole { phase == .activations ? .meanSeries : .recSeries }

    /// The unit's phases laid end to end on one iteration axis, with what is in play in each.
    static func chart(for unit: UnitProgress, logY: Bool) -> LineChart? {
        let phases = unit.phasesRun.filter { !(unit.curves[$0]?.isEmpty ?? true) || unit.traces[$0]?.hardLoss != nil }
        guard !phases.isEmpty else { return nil }
        var series: [LineChart.Series] = []
        var markers: [LineChart.VerticalMarker] = []
        var references: [LineChart.ReferenceLine] = []
        var offset = 0.0
        for phase in phases {
            let curve = unit.curves[phase] ?? LossSeries()
            let trace = unit.traces[phase]
            let length = Double(max(trace?.iterations ?? 0, curve.last?.iteration ?? 0, 1))
            series.append(.init(points: curve.points.map { (offset + Double($0.iteration), $0.reconstruction) }, role: role(of: phase)))
            // The regulariser is drawn (with its own axis) only where it is on: not in warm-up, not for activations.
            let regularized = curve.points.filter { $0.regularizer != 0 }
            if !regularized.isEmpty {
                series.append(.init(points: curve.points.map { (offset + Double($0.iteration), $0.regularizer) },
                                    role: .regSeries, rightAxis: true))
            }
            if offset > 0 {
                markers.append(.init(x: offset, label: shortName(phase), role: role(of: phase)))
            }
            let warmup = trace?.warmupIterations ?? (phase == unit.phase ? unit.warmupIterations : 0)
            if warmup > 0, phase != .activations {
                markers.append(.init(x: offset + Double(warmup), label: "warm-up", role: .warmupMarker))
            }
            if let nearest = trace?.nearestLoss {
                references.append(.init(y: nearest, xFrom: offset, xTo: offset + length,
                                        label: "rtn \(NumberFormat.loss(nearest))", role: .warning))
            }
            if let hard = trace?.hardLoss {
                references.append(.init(y: hard, xFrom: offset, xTo: offset + length,
                                        label: "hard \(NumberFormat.loss(hard))", role: .good))
            }
            offset += length
        }
        // Series drawn later win a shared cell: the regulariser beneath the losses.
        series = series.filter(\.rightAxis) + series.filter { !$0.rightAxis }
        return LineChart(series: series, xRange: 0...offset, logY: logY, markers: markers, references: references)
    }

    /// The chart's key at the right of the top edge, in the series' colours:
    /// only what is drawn (the regulariser's axis only while it is on, β only
    /// while it shapes the regulariser), then the scale.
    static func drawLegend(_ s: DashboardState, unit: UnitProgress, chart: LineChart, into grid: inout CellGrid, _ rect: Rect) {
        let g = Glyphs.forCharset(grid.charset)
        var items: [(String, StyleRole)] = []
        let phases = unit.phasesRun
        for phase in phases {
            items.append((phases.count > 1 ? shortName(phase) : "soft", role(of: phase)))
        }
        let regularizerShown = chart.series.contains { $0.rightAxis }
        if regularizerShown { items.append(("reg", .regSeries)) }
        let scale = s.logScale ? "log" : "lin"
        let beta: String
        if regularizerShown, s.currentUnit == s.selectedUnit, s.currentPhase != .activations, let b = s.currentBeta, b > 0 {
            beta = " β \(NumberFormat.compact((b * 10).rounded() / 10))"
        } else {
            beta = ""
        }
        func width(_ beta: String) -> Int {
            items.reduce(0) { $0 + 2 + grid.displayWidth($1.0) + 1 } + grid.displayWidth(scale + beta) + 2
        }
        let shown = rect.maxX - 1 - width(beta) > rect.x + 18 ? beta : ""
        var x = rect.maxX - 1 - width(shown)
        guard x > rect.x + 18 else { return }
        x += grid.put(" ", x: x, y: rect.y, role: .muted)
        for (label, role) in items {
            grid.set(x, rect.y, g.legend, role); x += 1
            x += grid.put(" \(label) ", x: x, y: rect.y, role: .muted)
        }
        grid.put("\(scale)\(shown) ", x: x, y: rect.y, role: .muted)
    }

    static func shortName(_ phase: UnitPhase) -> String {
        switch phase {
        case .weights: "weights"
        case .activations: "acts"
        case .joint: "joint"
        }
    }

    /// One sparkline cell per unit and the worst unit named. Units compare by
    /// their output's relative error (the inverse of the signal-to-noise
    /// ratio), which does not grow with the size of a unit's activations as
    /// the loss does; logs without it fall back to the final loss.
    static func drawOverview(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        guard rect.height > 0 else { return }
        let bySNR = UnitsPanelView.comparesBySNR(s)
        let label = bySNR ? "rel. error/unit " : "final loss/unit "
        var x = rect.x
        x += grid.put(label, x: x, y: rect.y, role: .muted)
        let finals: [Double?] = bySNR ? s.units.map { $0.snrAfter.map { pow(10, -$0 / 10) } } : s.units.map { $0.lossAfter }
        if finals.allSatisfy({ $0 == nil }) {
            grid.put("(none finished yet)", x: x, y: rect.y, role: .muted, maxWidth: rect.maxX - x)
            return
        }
        let width = rect.maxX - x
        Sparkline(values: finals).draw(into: &grid, x: x, y: rect.y, width: width)
        guard let worst = UnitsPanelView.worstUnit(s) else { return }
        let figure = bySNR ? s.units[worst].snrAfter.map { "SNR \(NumberFormat.decibels($0)) dB" }
                           : s.units[worst].lossAfter.map(NumberFormat.loss)
        guard let figure else { return }
        let text = "worst: \(worst + 1) \(LayerName.fit(s.units[worst].info.name, width: 32, charset: grid.charset)) \(figure)"
        if rect.height >= 2 {
            grid.putTruncated(text, x: rect.x, y: rect.y + 1, width: rect.width, role: .error)
        } else if finals.count + grid.displayWidth(text) + 1 <= width {
            grid.put(text, x: x + finals.count + 1, y: rect.y, role: .error)
        }
    }
}
