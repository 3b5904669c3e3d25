import Engine

/// Layers with weight/activation bits, lock marker, parameters and size, and
/// the model's totals against FP32.
enum BitsPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        let locked = s.layers.filter(\.locked).count
        Box(title: "Bit widths", focused: focused, trailing: locked > 0 ? "\(locked) locked" : "").draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height >= 3, inner.width >= 30 else { return }
        guard !s.layers.isEmpty else {
            // Wrapped, not cut: a cut "decoding training images 40/6" would state a wrong count.
            for (i, line) in OverlayView.wrap(s.waitingText, width: inner.width - 1).prefix(inner.height).enumerated() {
                grid.put(line, x: inner.x + 1, y: inner.y + i, role: .muted, maxWidth: inner.width - 1)
            }
            return
        }
        let g = Glyphs.forCharset(grid.charset)
        // Each row names its unit: layers of different blocks can end alike ("shortcut.0").
        let showKind = inner.width >= 48
        let showParams = inner.width >= 60
        let unitWidth = 4
        // As wide as the longest size after a space ("18.0 KiB"; "98.00 MiB" for a VGG's fully connected layer).
        let sizeWidth = 1 + s.layers.reduce(8) { max($0, NumberFormat.bytes(Self.weightBytes($1)).count) }
        let fixed = 2 + unitWidth + (showKind ? 7 : 0) + 3 + 3 + 2 + (showParams ? 8 : 0) + sizeWidth
        let nameWidth = max(8, inner.width - fixed)
        func columns(_ name: String, _ unit: String, _ kind: String, _ w: String, _ a: String, _ lock: String, _ params: String, _ size: String) -> [(String, Int, Bool)] {
            var c: [(String, Int, Bool)] = [(name, nameWidth, false), (unit, unitWidth, true)]
            if showKind { c.append((" " + kind, 7, false)) }
            c += [(w, 3, true), (a, 3, true), (lock, 2, true)]
            if showParams { c.append((params, 8, true)) }
            c.append((size, sizeWidth, true))
            return c
        }
        func drawRow(_ cells: [(String, Int, Bool)], y: Int, role: StyleRole, startX: Int) {
            var x = startX
            for (text, width, right) in cells {
                let shown = UnitsPanelView.pad(text, width - (right ? 0 : 1), right: right)
                grid.putTruncated(shown, x: x, y: y, width: width, role: role)
                x += width
            }
        }
        drawRow(columns("layer", "unit", "kind", "W", "A", "", "params", "size"), y: inner.y, role: .muted, startX: inner.x + 2)

        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 3)
        for row in SelectableList.drawRows(count: s.layers.count, selected: s.selectedLayer, focused: focused, in: listArea,
                                           pointer: g.pointer, into: &grid) {
            let layer = s.layers[row.index]
            let y = row.y, role = row.role
            let size = Self.weightBytes(layer)
            drawRow(columns(LayerName.fit(layer.name, width: nameWidth - 1, charset: grid.charset), String(layer.unit + 1),
                            layer.kind, String(layer.wbits), NumberFormat.abits(layer.abits), "",
                            NumberFormat.count(layer.params), NumberFormat.bytes(size)),
                    y: y, role: role, startX: inner.x + 2)
            if layer.locked {
                let lockX = inner.x + 2 + nameWidth + unitWidth + (showKind ? 7 : 0) + 6 + 1
                grid.set(lockX, y, g.lock, role == .selection ? .selection : .warning)
            }
        }
        drawTotals(s, into: &grid, Rect(x: inner.x, y: inner.maxY - 2, width: inner.width, height: 2))
    }

    /// A layer's weights at its bits, in bytes (in Double: no Int overflow whatever a recording says).
    static func weightBytes(_ layer: LayerInfo) -> Double { Double(layer.params) * Double(layer.wbits) / 8 }

    /// Quantized weight size against FP32, and the parameter-weighted average weight bits.
    static func drawTotals(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        let params = s.layers.reduce(0) { $0 + $1.params }
        guard params > 0 else { return }
        let bits = s.layers.reduce(0.0) { $0 + Double($1.params) * Double($1.wbits) }
        let quantBytes = bits / 8
        let fpBytes = Double(params) * 4
        let average = bits / Double(params)
        let line1 = "model \(NumberFormat.bytes(quantBytes)) vs FP32 \(NumberFormat.bytes(fpBytes)) (\(NumberFormat.compact((quantBytes / fpBytes * 1000).rounded() / 10))%)"
        let line2 = "avg \(NumberFormat.compact((average * 100).rounded() / 100)) bits vs 32 · \(NumberFormat.count(params)) params"
        grid.putTruncated(line1, x: rect.x + 1, y: rect.y, width: rect.width - 1, role: .highlight)
        grid.putTruncated(line2, x: rect.x + 1, y: rect.y + 1, width: rect.width - 1, role: .text)
    }
}
