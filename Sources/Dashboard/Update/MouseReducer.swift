extension DashboardReducer {
    /// Rows the wheel moves a selection or the log per notch.
    static let wheelStep = 3

    /// A click focuses the panel (or tab) under the pointer; the wheel focuses
    /// it and scrolls. The mouse never sends engine commands, and does nothing
    /// behind the too-small screen or an overlay (neither shows the panels).
    static func handle(_ mouse: MouseInput, in s: inout DashboardState) {
        guard s.size.fitsMinimum, s.overlay == nil else { return }
        let layout = DashboardLayout.compute(size: s.size, focus: s.focus)
        if let tabBar = layout.tabBar, mouse.y == tabBar.y, mouse.action == .click {
            if let page = TabBarView.page(atColumn: mouse.x - tabBar.x) { s.focus = DashboardLayout.pages[page][0] }
            return
        }
        guard let panel = layout.panels.first(where: { $0.value.contains(x: mouse.x, y: mouse.y) })?.key else { return }
        s.focus = panel
        switch mouse.action {
        case .click: break
        case .wheelUp: moveSelection(by: -wheelStep, in: &s)
        case .wheelDown: moveSelection(by: wheelStep, in: &s)
        }
    }
}

extension Rect {
    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}
