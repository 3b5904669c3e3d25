/// The bottom line: a fresh notice if there is one, otherwise the main keys.
enum HintBarView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        grid.fill(rect, role: .hintText)
        if let notice = s.notice, notice.expires > s.now {
            grid.putTruncated(" " + notice.text, x: rect.x, y: rect.y, width: rect.width, role: notice.isError ? .error : .highlight)
            return
        }
        var x = rect.x + 1
        for binding in KeyBindings.forState(s) {
            guard let hint = binding.hint else { continue }
            let key = binding.keys
            let needed = grid.displayWidth(key) + 1 + grid.displayWidth(hint) + 2
            if x + needed > rect.maxX { break }
            x += grid.put(key, x: x, y: rect.y, role: .hintKey)
            x += grid.put(" " + hint + "  ", x: x, y: rect.y, role: .hintText)
        }
    }
}
