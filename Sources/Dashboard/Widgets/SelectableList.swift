/// A scrolling list with one selected row (the units and bits panels): which
/// rows are visible, and each visible row's selection band and pointer. The
/// caller draws the row's content after the pointer column.
enum SelectableList {
    /// One visible row, its band and pointer drawn.
    struct Row {
        /// Index into the list.
        var index: Int
        var y: Int
        var isSelected: Bool
        /// `.selection` on the selected row of the focused panel, else `.text`.
        var role: StyleRole
    }

    /// The first visible row: the selection kept near the middle, the list's end at the bottom.
    static func scrollStart(selected: Int, count: Int, rows: Int) -> Int {
        guard count > rows else { return 0 }
        return max(0, min(count - rows, selected - rows / 2))
    }

    /// Draws the visible rows' bands and pointers (at `area.x`) from `area.y` down,
    /// at most `area.height` rows, and returns them in order.
    static func drawRows(count: Int, selected: Int, focused: Bool, in area: Rect, pointer: Unicode.Scalar,
                         into grid: inout CellGrid) -> [Row] {
        guard area.height > 0 else { return [] }
        let first = scrollStart(selected: selected, count: count, rows: area.height)
        return (first..<min(count, first + area.height)).enumerated().map { offset, index in
            let y = area.y + offset
            let isSelected = index == selected
            let highlighted = isSelected && focused
            if highlighted { grid.fill(Rect(x: area.x, y: y, width: area.width, height: 1), role: .selection) }
            grid.set(area.x, y, isSelected ? pointer : " ", highlighted ? .selection : .highlight)
            return Row(index: index, y: y, isSelected: isSelected, role: highlighted ? .selection : .text)
        }
    }
}
