/// A bordered panel with a title in its top edge.
struct Box {
    var title: String
    var focused: Bool
    /// Text right-aligned in the top edge (a legend, a count).
    var trailing: String = ""

    func draw(into grid: inout CellGrid, _ rect: Rect) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let g = Glyphs.forCharset(grid.charset)
        let role: StyleRole = focused ? .borderFocused : .border
        for x in (rect.x + 1)..<(rect.maxX - 1) {
            grid.set(x, rect.y, g.horizontal, role)
            grid.set(x, rect.maxY - 1, g.horizontal, role)
        }
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            grid.set(rect.x, y, g.vertical, role)
            grid.set(rect.maxX - 1, y, g.vertical, role)
        }
        grid.set(rect.x, rect.y, g.topLeft, role)
        grid.set(rect.maxX - 1, rect.y, g.topRight, role)
        grid.set(rect.x, rect.maxY - 1, g.bottomLeft, role)
        grid.set(rect.maxX - 1, rect.maxY - 1, g.bottomRight, role)
        let used = grid.put(" \(title) ", x: rect.x + 1, y: rect.y, role: focused ? .borderFocused : .title,
                            maxWidth: rect.width - 2)
        if !trailing.isEmpty {
            let w = grid.displayWidth(trailing) + 2
            if used + w + 2 <= rect.width - 2 {
                grid.put(" \(trailing) ", x: rect.maxX - 1 - w, y: rect.y, role: .muted)
            }
        }
    }
}
