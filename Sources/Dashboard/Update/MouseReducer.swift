extension DashboardReducer {
    /// Rows the wheel moves a selection or the log per notch.
    static let wheelStep = 3

    /// A click on a hint-bar entry presses its key; a click focuses the panel
    /// (or tab) under the pointer and, on a unit's or layer's row, selects it;
    /// the wheel focuses the panel and scrolls. Only a hint-bar click can send
    /// an engine command, exactly as its key would. Nothing acts behind the
    /// too-small screen or an overlay (neither shows the panels).
    static func handle(_ mouse: MouseInput, in s: inout DashboardState) -> [Effect] {
        guard s.size.fitsMinimum, s.overlay == nil else { return [] }
        let layout = DashboardLayout.compute(size: s.size, focus: s.focus)
        if mouse.y == layout.hint.y {
            guard mouse.action == .click else { return [] }
            // Keys and hints are ASCII: a column per scalar, as the grid draws them.
            let entries = HintBarView.entries(s, layout.hint, width: { $0.unicodeScalars.count }).entries
            guard let entry = entries.first(where: { mouse.x >= $0.x && mouse.x < $0.x + $0.width }),
                  let key = entry.binding.clickKey else { return [] }
            return handle(key, in: &s)
        }
        if let tabBar = layout.tabBar, mouse.y == tabBar.y, mouse.action == .click {
            if let page = TabBarView.page(atColumn: mouse.x - tabBar.x) { s.focus = DashboardLayout.pages[page][0] }
            return []
        }
        guard let (panel, rect) = layout.panels.first(where: { $0.value.contains(x: mouse.x, y: mouse.y) }) else { return [] }
        s.focus = panel
        switch mouse.action {
        case .click: select(row: mouse.y, in: panel, rect, &s)
        case .wheelUp: moveSelection(by: -wheelStep, in: &s)
        case .wheelDown: moveSelection(by: wheelStep, in: &s)
        }
        return []
    }

    /// The unit or layer drawn on screen row `y` of the panel, found as the view lays the rows out.
    private static func select(row y: Int, in panel: Panel, _ rect: Rect, _ s: inout DashboardState) {
        switch panel {
        case .units:
            guard let index = listIndex(atRow: y, rect, headerRows: 1, selected: s.selectedUnit, count: s.units.count) else { return }
            s.selectedUnit = index
            // Clicking the running unit means "follow it again", as the keys do.
            s.followRunning = index == s.currentUnit
        case .bits:
            // The bits table has a header row and two rows of totals below its list.
            guard let index = listIndex(atRow: y, rect, headerRows: 3, selected: s.selectedLayer, count: s.layers.count) else { return }
            s.selectedLayer = index
        case .loss, .search, .log, .analysis:
            break
        }
    }

    /// The list entry on row `y` of a boxed list whose first row is a header,
    /// scrolled as `SelectableList.scrollStart` scrolls it; nil off the list.
    private static func listIndex(atRow y: Int, _ rect: Rect, headerRows: Int, selected: Int, count: Int) -> Int? {
        let inner = rect.inner
        let rows = inner.height - headerRows
        guard rows > 0, y > inner.y, y < inner.y + 1 + rows else { return nil }
        let index = SelectableList.scrollStart(selected: selected, count: count, rows: rows) + (y - inner.y - 1)
        return index < count ? index : nil
    }
}

extension Rect {
    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}
