/// The bottom line: a fresh notice if there is one, otherwise the main keys.
enum HintBarView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        grid.fill(rect, role: .hintText)
        if let notice = s.notice, notice.expires > s.now {
            grid.putTruncated(" " + notice.text, x: rect.x, y: rect.y, width: rect.width, role: notice.isError ? .error : .highlight)
            return
        }
        // Help and quit are always shown, at the right; the other hints fill what is left.
        let bindings = KeyBindings.forState(s).filter { $0.hint != nil }
        let pinned = bindings.filter { $0.keys == "?" || $0.keys == "q" }
        var right = rect.maxX
        for binding in pinned.reversed() {
            let text = " " + binding.hint! + " "
            right -= grid.displayWidth(text)
            grid.put(text, x: right, y: rect.y, role: .hintText)
            right -= grid.displayWidth(binding.keys)
            grid.put(binding.keys, x: right, y: rect.y, role: .hintKey)
        }
        var x = rect.x + 1
        // An attached dashboard says what it is: a view of another process's run, or its steering wheel.
        if case .attached(let attach) = s.mode {
            x += grid.put(attach.control ? "STEERING" : "VIEW ONLY", x: x, y: rect.y, role: .highlight) + 2
        }
        for binding in bindings where !pinned.contains(where: { $0.keys == binding.keys }) {
            let hint = binding.hint!
            let key = binding.keys
            let needed = grid.displayWidth(key) + 1 + grid.displayWidth(hint) + 2
            if x + needed > right { break }
            x += grid.put(key, x: x, y: rect.y, role: .hintKey)
            x += grid.put(" " + hint + "  ", x: x, y: rect.y, role: .hintText)
        }
    }
}
