import Engine

/// The latest events with their session times, newest at the bottom; scrollable when focused.
enum LogPanelView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect, focused: Bool) {
        Box(title: "Log", focused: focused, trailing: s.logScroll > 0 ? "↑\(s.logScroll)" : "").draw(into: &grid, rect)
        let inner = rect.inner
        guard inner.height > 0, inner.width > 8 else { return }
        let entries = s.log.entries
        guard !entries.isEmpty else {
            grid.put("no events yet", x: inner.x + 1, y: inner.y, role: .muted, maxWidth: inner.width - 1)
            return
        }
        let end = max(0, entries.count - s.logScroll)
        let visible = entries[max(0, end - inner.height)..<end]
        for (offset, entry) in visible.enumerated() {
            let y = inner.y + offset
            let time = entry.time.map(NumberFormat.clock) ?? "  ui "
            let used = grid.put(time + " ", x: inner.x, y: y, role: .muted)
            let role: StyleRole = switch entry.level {
            case .info: .text
            case .warning: .warning
            case .error: .error
            }
            grid.putTruncated(entry.text, x: inner.x + used, y: y, width: inner.width - used, role: role)
        }
    }
}
