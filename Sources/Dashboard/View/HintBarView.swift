/// The bottom line: a fresh notice if there is one, otherwise the main keys.
enum HintBarView {
    /// One key shown in the bar, where it is drawn (a click there presses it).
    struct Entry: Equatable {
        var binding: KeyBinding
        /// Columns of the key and its hint.
        var x: Int
        var width: Int
        var keyWidth: Int
    }

    /// What the bar shows in `rect` and where: the same layout for drawing and
    /// for clicks. Empty while a notice covers the bar.
    static func entries(_ s: DashboardState, _ rect: Rect, width: (String) -> Int) -> (label: String?, entries: [Entry]) {
        if let notice = s.notice, notice.expires > s.now { return (nil, []) }
        // Help and quit are always shown, at the right; the other hints fill what is left.
        let bindings = KeyBindings.forState(s).filter { $0.hint != nil }
        let pinned = bindings.filter { $0.keys == "?" || $0.keys == "q" }
        var entries: [Entry] = []
        var right = rect.maxX
        for binding in pinned.reversed() {
            let keyWidth = width(binding.keys)
            let total = keyWidth + width(" " + binding.hint! + " ")
            right -= total
            entries.append(Entry(binding: binding, x: right, width: total, keyWidth: keyWidth))
        }
        var x = rect.x + 1
        // An attached dashboard says what it is: a view of another process's run, or its steering wheel.
        var label: String?
        if case .attached(let attach) = s.mode {
            label = attach.control ? "STEERING" : "VIEW ONLY"
            x += width(label!) + 2
        }
        for binding in bindings where !pinned.contains(where: { $0.keys == binding.keys }) {
            let keyWidth = width(binding.keys)
            let needed = keyWidth + 1 + width(binding.hint!) + 2
            if x + needed > right { break }
            entries.append(Entry(binding: binding, x: x, width: needed, keyWidth: keyWidth))
            x += needed
        }
        return (label, entries.sorted { $0.x < $1.x })
    }

    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        grid.fill(rect, role: .hintText)
        if let notice = s.notice, notice.expires > s.now {
            grid.putTruncated(" " + notice.text, x: rect.x, y: rect.y, width: rect.width, role: notice.isError ? .error : .highlight)
            return
        }
        let measure = grid
        let (label, entries) = entries(s, rect, width: { measure.displayWidth($0) })
        if let label { grid.put(label, x: rect.x + 1, y: rect.y, role: .highlight) }
        for entry in entries {
            let pinned = entry.binding.keys == "?" || entry.binding.keys == "q"
            grid.put(entry.binding.keys, x: entry.x, y: rect.y, role: .hintKey)
            grid.put(" " + entry.binding.hint! + (pinned ? " " : "  "), x: entry.x + entry.keyWidth, y: rect.y, role: .hintText)
        }
    }
}
