/// Where each part of the screen goes at a given size. Wide terminals show all
/// five panels at once; smaller ones (down to 80×24) show the focused panel's
/// page with a tab bar, so nothing is squeezed below legibility.
struct DashboardLayout: Equatable {
    enum Arrangement: Equatable { case wide, tabbed }

    var arrangement: Arrangement
    var header: Rect
    var tabBar: Rect?
    var hint: Rect
    var panels: [Panel: Rect]

    static let headerHeight = 2
    /// Below this everything fits at once.
    static let wideMinimum = TerminalSize(width: 120, height: 36)

    /// Pages of the tabbed arrangement; the units list and its loss curve share one.
    static let pages: [[Panel]] = [[.units, .loss], [.bits], [.search], [.log], [.analysis]]

    static func page(of panel: Panel) -> Int { pages.firstIndex { $0.contains(panel) }! }

    static func compute(size: TerminalSize, focus: Panel) -> DashboardLayout {
        let w = size.width, h = size.height
        let header = Rect(x: 0, y: 0, width: w, height: headerHeight)
        let hint = Rect(x: 0, y: h - 1, width: w, height: 1)
        if w >= wideMinimum.width && h >= wideMinimum.height {
            // The analysis is a page of its own even on a wide screen: its table and histograms need the room.
            if focus == .analysis {
                return DashboardLayout(arrangement: .wide, header: header, tabBar: nil, hint: hint, panels: [
                    .analysis: Rect(x: 0, y: headerHeight, width: w, height: h - headerHeight - 1),
                ])
            }
            let bodyTop = headerHeight
            let bodyHeight = h - headerHeight - 1
            let topHeight = bodyHeight * 11 / 20
            let leftWidth = max(44, w * 3 / 8)
            let bottomY = bodyTop + topHeight
            let bottomHeight = bodyHeight - topHeight
            let searchWidth = (w - leftWidth) / 2
            return DashboardLayout(arrangement: .wide, header: header, tabBar: nil, hint: hint, panels: [
                .units: Rect(x: 0, y: bodyTop, width: leftWidth, height: topHeight),
                .loss: Rect(x: leftWidth, y: bodyTop, width: w - leftWidth, height: topHeight),
                .bits: Rect(x: 0, y: bottomY, width: leftWidth, height: bottomHeight),
                .search: Rect(x: leftWidth, y: bottomY, width: searchWidth, height: bottomHeight),
                .log: Rect(x: leftWidth + searchWidth, y: bottomY, width: w - leftWidth - searchWidth, height: bottomHeight),
            ])
        }
        let tabBar = Rect(x: 0, y: headerHeight, width: w, height: 1)
        let body = Rect(x: 0, y: headerHeight + 1, width: w, height: h - headerHeight - 2)
        var panels: [Panel: Rect] = [:]
        let page = pages[page(of: focus)]
        if page.count == 2 {
            let left = max(32, w * 2 / 5)
            panels[page[0]] = Rect(x: body.x, y: body.y, width: left, height: body.height)
            panels[page[1]] = Rect(x: body.x + left, y: body.y, width: w - left, height: body.height)
        } else {
            panels[page[0]] = body
        }
        return DashboardLayout(arrangement: .tabbed, header: header, tabBar: tabBar, hint: hint, panels: panels)
    }
}
