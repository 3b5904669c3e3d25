import Engine
import Network

/// `d`: the selected unit drawn as a diagram — its operations top to bottom,
/// the skip connection beside them from where it leaves to the Add it joins
/// (with a shortcut convolution on it when the block downsamples), and each
/// layer's name and weight/activation bits. Box characters, or ASCII.
enum BlockDiagramView {
    static func draw(unit index: Int, state s: DashboardState, into grid: inout CellGrid) {
        guard s.units.indices.contains(index) else { return }
        let unit = s.units[index].info
        let g = Glyphs.forCharset(grid.charset)
        let module = ModuleName.of(unit).map { " = \($0)" } ?? ""
        let title = "Unit \(index + 1)/\(s.units.count) · \(LayerName.fit(unit.name, width: 40, charset: grid.charset))\(module) (\(unit.kind))"
        let hint = "j/k other unit · Esc or d closes"
        guard let nodes = unit.nodes, !nodes.isEmpty else {
            // Recordings made before the structure was recorded still name the layers.
            let lines = ["This recording does not hold the unit's structure;", "its layers:"]
                + unit.layers.map { "  \($0)  \(bits(of: $0, s))" }
            let inner = OverlayView.frame(title, width: 60, height: lines.count + 2, into: &grid)
            for (i, line) in lines.enumerated() where i < inner.height - 2 {
                grid.putTruncated(line, x: inner.x, y: inner.y + i, width: inner.width, role: .overlay)
            }
            grid.put(hint, x: inner.x, y: inner.maxY - 1, role: .muted, maxWidth: inner.width)
            return
        }
        let diagram = BlockDiagram(nodes: nodes)
        let hasSkip = !diagram.skips.isEmpty
        let rowCount = diagram.rows.count + 1  // and the output row
        // A connector line between rows when they fit, rows packed otherwise.
        let available = grid.height - 2 - 2 - 2
        let spaced = rowCount * 2 - 1 <= available
        let height = min(available, spaced ? rowCount * 2 - 1 : rowCount)
        let width = min(grid.width - 6, 72)
        // Why the block is reconstructed as a whole, below the drawing where the screen has room.
        let joinsAnAdd = diagram.skips.contains { nodes.indices.contains($0.toRow - 1) && nodes[$0.toRow - 1].op == "add" }
        let note = OverlayView.wrap(explanation(layers: nodes.filter(\.isLayer).count, hasSkip: joinsAnAdd), width: width)
        let noteRows = height + 1 + note.count <= available ? note.count + 1 : 0
        let inner = OverlayView.frame(title, width: width, height: height + 2 + noteRows, into: &grid)
        for (i, line) in note.enumerated() where noteRows > 0 {
            grid.put(line, x: inner.x, y: inner.y + height + 1 + i, role: .muted, maxWidth: inner.width)
        }

        // Columns: main path, skip path, layer names and bits.
        let mainX = inner.x
        let mainText = 2 + diagram.rows.filter { !$0.onSkip }.map { label($0.node, nodes, grid) }.max()!
        let skipX = mainX + max(mainText + 2, 14)
        let skipText = 2 + (diagram.rows.filter(\.onSkip).map { label($0.node, nodes, grid) }.max() ?? 0)
        let namesX = hasSkip ? skipX + max(skipText + 2, 4) : skipX
        let step = spaced ? 2 : 1
        func y(_ row: Int) -> Int { inner.y + row * step }
        let lastRow = diagram.rows.count  // the output row
        let bottom = inner.y + height  // rows below are cut off

        for (r, row) in diagram.rows.enumerated() where y(r) < bottom {
            let x = row.onSkip ? skipX : mainX
            // The main path passes by a node on the skip path.
            if row.onSkip { grid.set(mainX, y(r), g.vertical, .overlayBorder) }
            grid.set(x, y(r), g.legend, row.onSkip ? .warning : .highlight)
            let text = row.node.map { nodes[$0].op } ?? "input"
            grid.put(text, x: x + 2, y: y(r), role: .overlay, maxWidth: inner.maxX - x - 2)
            if let k = row.node, nodes[k].isLayer {
                let name = LayerName.fit(nodes[k].name, width: max(6, inner.maxX - namesX - 8), charset: grid.charset)
                let n = grid.put(name, x: namesX, y: y(r), role: .muted, maxWidth: inner.maxX - namesX)
                grid.put(" \(bits(of: nodes[k].name, s))", x: namesX + n, y: y(r), role: .highlight, maxWidth: inner.maxX - namesX - n)
            }
            // The main path's line down to the next row (skip-path nodes sit beside it).
            if spaced, r < lastRow, y(r) + 1 < bottom { grid.set(mainX, y(r) + 1, g.vertical, .overlayBorder) }
        }
        if y(lastRow) < bottom {
            grid.set(mainX, y(lastRow), g.legend, .highlight)
            grid.put("output", x: mainX + 2, y: y(lastRow), role: .overlay)
        }
        // Skip lines: out of the branch row to the right, down the skip column, back into the Add.
        for skip in diagram.skips {
            let from = y(skip.fromRow), to = y(skip.toRow)
            let fromEnd = mainX + 2 + label(diagram.rows[skip.fromRow].node, nodes, grid) + 1
            let toEnd = mainX + 2 + label(diagram.rows[skip.toRow].node, nodes, grid) + 1
            if from < bottom {
                for x in fromEnd..<skipX { grid.set(x, from, g.horizontal, .warning) }
                grid.set(skipX, from, g.topRight, .warning)
            }
            for yy in (from + 1)..<min(to, bottom) where !isSkipNode(at: yy, diagram, y) {
                grid.set(skipX, yy, g.vertical, .warning)
            }
            if to < bottom {
                grid.put(grid.charset == .unicode ? "◀" : "<", x: toEnd, y: to, role: .warning)
                for x in (toEnd + 1)..<skipX { grid.set(x, to, g.horizontal, .warning) }
                grid.set(skipX, to, g.bottomRight, .warning)
            }
        }
        grid.put(hint, x: inner.x, y: inner.maxY - 1, role: .muted, maxWidth: inner.width)
    }

    static func explanation(layers: Int, hasSkip: Bool) -> String {
        guard layers > 1 else { return "One layer: it is reconstructed against its own output." }
        return "BRECQ tunes the rounding of these \(layers) layers together so that the unit's output\(hasSkip ? " after the add" : "") matches the full-precision one: one layer's rounding error can cancel another's. Layer-wise AdaRound fits each layer's output alone."
    }

    static func isSkipNode(at yy: Int, _ diagram: BlockDiagram, _ y: (Int) -> Int) -> Bool {
        diagram.rows.indices.contains { diagram.rows[$0].onSkip && y($0) == yy }
    }

    static func label(_ node: Int?, _ nodes: [UnitNode], _ grid: CellGrid) -> Int {
        grid.displayWidth(node.map { nodes[$0].op } ?? "input")
    }

    /// "W4 A8" from the session's layer table (A: the layer's input activations; fp when not quantized).
    static func bits(of layer: String, _ s: DashboardState) -> String {
        guard let info = s.layers.first(where: { $0.name == layer }) else { return "" }
        return "W\(info.wbits) A\(NumberFormat.abits(info.abits))"
    }
}
