/// The page selector of the tabbed arrangement; digits 1–5 jump to a panel.
enum TabBarView {
    static func draw(_ state: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        grid.fill(rect, role: .tabInactive)
        let current = DashboardLayout.page(of: state.focus)
        var x = rect.x + 1
        for (i, page) in DashboardLayout.pages.enumerated() {
            let role: StyleRole = i == current ? .tabActive : .tabInactive
            x += grid.put(label(page), x: x, y: rect.y, role: role, maxWidth: rect.maxX - x)
            x += 1
        }
    }

    static func label(_ page: [Panel]) -> String {
        " " + page.map { "\($0.rawValue + 1) \($0.title)" }.joined(separator: " · ") + " "
    }

    /// The page whose label covers `column` of the bar (0 is its first cell), for mouse clicks.
    static func page(atColumn column: Int) -> Int? {
        var x = 1
        for (i, page) in DashboardLayout.pages.enumerated() {
            let width = label(page).unicodeScalars.count
            if column >= x && column < x + width { return i }
            x += width + 1
        }
        return nil
    }
}
