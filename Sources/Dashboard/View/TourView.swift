/// The tour's box: the step's title and text, placed on the half of the screen
/// away from the focused panel so the student sees what the text explains.
enum TourView {
    static func draw(step index: Int, state s: DashboardState, into grid: inout CellGrid) {
        guard TourStep.steps.indices.contains(index) else { return }
        let step = TourStep.steps[index]
        let width = min(72, grid.width - 6)
        // Wrapped as it will be drawn: the ASCII spellings (β → beta) are longer.
        let text = grid.charset == .ascii
            ? step.text.unicodeScalars.map { $0.isASCII ? String($0) : CellGrid.asciiSpelling[$0] ?? "?" }.joined() : step.text
        let lines = OverlayView.wrap(text, width: width)
        // Text, a blank line and the key line; the frame adds two rows.
        let boxHeight = min(grid.height - 2, lines.count + 4)
        let layout = DashboardLayout.compute(size: TerminalSize(width: grid.width, height: grid.height), focus: s.focus)
        let panel = layout.panels[s.focus]
        // Below a panel in the top half, else just under the header (a full-height page is covered at its foot).
        let panelInTopHalf = panel.map { $0.y + $0.height / 2 < grid.height / 2 || $0.height > grid.height / 2 } ?? true
        let top = panelInTopHalf && !step.boxAtTop ? grid.height - 1 - boxHeight : DashboardLayout.headerHeight
        let title = "Tour \(index + 1)/\(TourStep.steps.count) · \(step.title)"
        let inner = OverlayView.frame(title, width: width, height: boxHeight - 2, top: top, into: &grid)
        for (i, line) in lines.prefix(max(0, inner.height - 2)).enumerated() {
            grid.put(line, x: inner.x, y: inner.y + i, role: .overlay, maxWidth: inner.width)
        }
        let last = index + 1 == TourStep.steps.count
        let keys = "\(last ? "→ ends" : "→ n next")\(index > 0 ? " · ← p back" : "") · Esc leaves"
        grid.put(keys, x: inner.x, y: inner.maxY - 1, role: .muted, maxWidth: inner.width)
    }
}
