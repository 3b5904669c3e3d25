import Engine

/// Every reconstruction unit with its status and loss before → after; the
/// bar column shows each finished unit's final loss so the weak one stands out.
enum UnitsPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        Box(title: "Units", focused: focused, trailing: s.units.isEmpty ? "" : "\(s.unitsDone)/\(s.units.count) done")
            .draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height > 0, inner.width > 0 else { return }
        guard !s.units.isEmpty else {
            grid.put("waiting for the session…", x: inner.x + 1, y: inner.y, role: .muted, maxWidth: inner.width - 1)
            return
        }
        let g = Glyphs.forCharset(grid.charset)
        let wide = inner.width >= 56
        // Columns: pointer, status, index, name, [kind, layers], loss before → after, [bar].
        let lossWidth = 8
        // Narrow panels show only the final loss so names stay readable.
        let showBefore = inner.width >= 40
        let lossColumns = showBefore ? lossWidth * 2 + grid.displayWidth(g.arrow) + 2 : lossWidth + 1
        let barWidth = wide ? max(0, min(12, inner.width - 56)) : 0
        let kindWidth = wide ? 11 : 0
        let nameWidth = max(6, inner.width - 6 - kindWidth - lossColumns - (barWidth > 0 ? barWidth + 1 : 0))

        let worst = worstUnit(s)
        let maxLoss = s.units.compactMap(\.lossAfter).filter(\.isFinite).max() ?? 0
        let headerRow = inner.y
        var hx = inner.x + 5
        hx += grid.put(pad("unit", nameWidth + 1), x: hx, y: headerRow, role: .muted)
        if wide { hx += grid.put(pad("kind", kindWidth), x: hx, y: headerRow, role: .muted) }
        grid.put(showBefore ? "loss before\(g.arrow)after" : "loss", x: hx, y: headerRow, role: .muted, maxWidth: inner.maxX - hx)

        let rows = inner.height - 1
        guard rows > 0 else { return }
        let first = scrollStart(selected: s.selectedUnit, count: s.units.count, rows: rows)
        for (offset, index) in (first..<min(s.units.count, first + rows)).enumerated() {
            let unit = s.units[index]
            let y = inner.y + 1 + offset
            let selected = index == s.selectedUnit
            let base: StyleRole = selected && focused ? .selection : .text
            if selected && focused { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
            var x = inner.x
            grid.set(x, y, selected ? g.pointer : " ", selected && focused ? .selection : .highlight); x += 1
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
            if barWidth > 0, let loss = unit.lossAfter, maxLoss > 0 {
                HorizontalBar(fraction: loss / maxLoss, role: index == worst ? .barHigh : .barLow)
                    .draw(into: &grid, x: x + 1, y: y, width: barWidth)
            }
        }
    }

    /// The finished unit with the highest final loss, when there are at least two to compare.
    static func worstUnit(_ s: DashboardState) -> Int? {
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
    static func scrollStart(selected: Int, count: Int, rows: Int) -> Int {
        guard count > rows else { return 0 }
        return max(0, min(count - rows, selected - rows / 2))
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let n = text.unicodeScalars.count
        guard n < width else { return text }
        let spaces = String(repeating: " ", count: width - n)
        return right ? spaces + text : text + spaces
    }
}
