/// The page selector of the tabbed arrangement; digits 1–5 jump to a panel.
enum TabBarView {
    static func draw(_ state: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        grid.fill(rect, role: .tabInactive)
        let current = DashboardLayout.page(of: state.focus)
        var x = rect.x + 1
        for (i, page) in DashboardLayout.pages.enumerated() {
            let label = " " + page.map { "\($0.rawValue + 1) \($0.title)" }.joined(separator: " · ") + " "
            let role: StyleRole = i == current ? .tabActive : .tabInactive
            x += grid.put(label, x: x, y: rect.y, role: role, maxWidth: rect.maxX - x)
            x += 1
        }
    }
}
