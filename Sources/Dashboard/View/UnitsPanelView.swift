import Foundation
import Engine

/// Every reconstruction unit with its status, loss before → after and the
/// output's signal-to-noise ratio after reconstruction (dB). Losses grow with
/// the size of a unit's activations, so units are compared by the SNR: the
/// worst unit (lowest SNR) is marked and the bar column shows each finished
/// unit's relative output error.
enum UnitsPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        Box(title: "Units", focused: focused, trailing: s.units.isEmpty ? "" : "\(s.unitsDone)/\(s.units.count) done")
            .draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height > 0, inner.width > 0 else { return }
        guard !s.units.isEmpty else {
            // Wrapped, not cut: a cut "decoding training images 40/6" would state a wrong count.
            for (i, line) in OverlayView.wrap(s.waitingText, width: inner.width - 1).prefix(inner.height).enumerated() {
                grid.put(line, x: inner.x + 1, y: inner.y + i, role: .muted, maxWidth: inner.width - 1)
            }
            return
        }
        let g = Glyphs.forCharset(grid.charset)
        let wide = inner.width >= 56
        // Columns: pointer, status, index, name, [kind, layers], loss before → after, [bar].
        let lossWidth = 8
        // Narrow panels show only the final loss so names stay readable.
        let showBefore = inner.width >= 40
        let lossColumns = showBefore ? lossWidth * 2 + grid.displayWidth(g.arrow) + 2 : lossWidth + 1
        // The SNR column: "SNR dB" where there is room, "dB" otherwise; absent for logs that lack it.
        let showSNR = !s.mode.isReplay || s.units.contains { $0.snrAfter != nil }
        let snrWidth = showSNR ? (showBefore ? 7 : 5) : 0
        let barWidth = wide ? max(0, min(12, inner.width - 56 - snrWidth)) : 0
        let kindWidth = wide ? 11 : 0
        let nameWidth = max(6, inner.width - 6 - kindWidth - lossColumns - snrWidth - (barWidth > 0 ? barWidth + 1 : 0))

        let worst = worstUnit(s)
        let bySNR = comparesBySNR(s)
        let badness: [Double?] = s.units.map { bySNR ? $0.snrAfter.map { pow(10, -$0 / 10) } : $0.lossAfter }
        let maxBadness = badness.compactMap { $0 }.filter(\.isFinite).max() ?? 0
        let headerRow = inner.y
        var hx = inner.x + 5
        hx += grid.put(pad("unit", nameWidth + 1), x: hx, y: headerRow, role: .muted)
        if wide { hx += grid.put(pad("kind", kindWidth), x: hx, y: headerRow, role: .muted) }
        let lossHeader = showBefore ? "loss before\(g.arrow)after" : "loss"
        grid.put(lossHeader, x: hx, y: headerRow, role: .muted, maxWidth: inner.maxX - hx)
        if showSNR {
            let snrHeader = showBefore ? "SNR dB" : "dB"
            // Right-aligned over the values, which end at the panel's edge or before the bar.
            grid.put(snrHeader, x: inner.maxX - (barWidth > 0 ? barWidth + 1 : 0) - grid.displayWidth(snrHeader), y: headerRow,
                     role: .muted)
        }

        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        for row in SelectableList.drawRows(count: s.units.count, selected: s.selectedUnit, focused: focused, in: listArea,
                                           pointer: g.pointer, into: &grid) {
            let index = row.index, y = row.y, base = row.role
            let selected = row.isSelected
            let unit = s.units[index]
            var x = inner.x + 1
            let (statusGlyph, statusRole) = status(unit.status, g)
            grid.set(x, y, statusGlyph, selected && focused ? .selection : statusRole); x += 1
            x += grid.put(pad(String(index + 1), 3, right: true), x: x, y: y, role: selected && focused ? .selection : .muted)
            x += 1
            grid.putTruncated(LayerName.fit(unit.info.name, width: nameWidth, charset: grid.charset), x: x, y: y, width: nameWidth, role: base)
            x += nameWidth + 1
            if wide {
                grid.putTruncated("\(unit.info.kind) \(unit.info.layers.count)L", x: x, y: y, width: kindWidth - 1, role: selected && focused ? .selection : .muted)
                x += kindWidth
            }
            let before = unit.lossBefore.map(NumberFormat.loss) ?? ""
            let after = unit.lossAfter.map(NumberFormat.loss) ?? (unit.status == .running ? liveLoss(unit) : "")
            if !showBefore {
                let afterRole: StyleRole = selected && focused ? .selection : (index == worst ? .error : base)
                x += grid.put(pad(after, lossWidth, right: true), x: x, y: y, role: afterRole)
            } else if !before.isEmpty || !after.isEmpty {
                x += grid.put(pad(before, lossWidth, right: true), x: x, y: y, role: base)
                x += grid.put(before.isEmpty ? pad("", grid.displayWidth(g.arrow)) : g.arrow, x: x, y: y, role: .muted)
                let afterRole: StyleRole = selected && focused ? .selection : (index == worst ? .error : base)
                x += grid.put(pad(after, lossWidth), x: x, y: y, role: afterRole)
            } else {
                x += lossColumns - 2
            }
            // Columns before stay aligned whatever the loss cells held.
            x = inner.x + 6 + nameWidth + 1 + kindWidth + lossColumns
            if showSNR {
                let snr = unit.snrAfter.map(NumberFormat.decibels) ?? ""
                let snrRole: StyleRole = selected && focused ? .selection : (index == worst && bySNR ? .error : base)
                grid.put(pad(snr, snrWidth - 1, right: true), x: x, y: y, role: snrRole)
                x += snrWidth
            }
            if barWidth > 0, let value = badness[index], maxBadness > 0 {
                HorizontalBar(fraction: value / maxBadness, role: index == worst ? .barHigh : .barLow)
                    .draw(into: &grid, x: x, y: y, width: barWidth)
            }
        }
    }

    /// Units are compared by SNR when every finished unit has one (logs from
    /// before it was recorded have none, and then the final loss is all there is).
    static func comparesBySNR(_ s: DashboardState) -> Bool {
        let finished = s.units.filter { $0.lossAfter != nil }
        return !finished.isEmpty && finished.allSatisfy { $0.snrAfter != nil }
    }

    /// The finished unit with the lowest output SNR (or, without SNRs, the
    /// highest final loss), when there are at least two to compare.
    static func worstUnit(_ s: DashboardState) -> Int? {
        if comparesBySNR(s) {
            let finished = s.units.enumerated().compactMap { i, u in u.snrAfter.map { (i, $0) } }.filter { $0.1.isFinite }
            guard finished.count >= 2 else { return nil }
            return finished.min { $0.1 < $1.1 }?.0
        }
        let finished = s.units.enumerated().compactMap { i, u in u.lossAfter.map { (i, $0) } }.filter { $0.1.isFinite }
        guard finished.count >= 2 else { return nil }
        return finished.max { $0.1 < $1.1 }?.0
    }

    static func liveLoss(_ unit: UnitProgress) -> String {
        unit.curve?.last.map { NumberFormat.loss($0.reconstruction) } ?? ""
    }

    static func status(_ status: UnitStatus, _ g: Glyphs) -> (Unicode.Scalar, StyleRole) {
        switch status {
        case .pending: (g.statusPending, .muted)
        case .running: (g.statusRunning, .highlight)
        case .done: (g.statusDone, .good)
        case .skipped: (g.statusSkipped, .warning)
        }
    }

    /// The first row shown so the selection stays visible.
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let n = text.unicodeScalars.count
        guard n < width else { return text }
        let spaces = String(repeating: " ", count: width - n)
        return right ? spaces + text : text + spaces
    }
}
