/// `render(state, size)`: the whole screen as a cell grid, from state alone.
public enum DashboardView {
    public static func render(_ state: DashboardState, size: TerminalSize, charset: Charset) -> CellGrid {
        var grid = CellGrid(width: size.width, height: size.height, charset: charset)
        guard size.fitsMinimum else {
            TooSmallView.draw(into: &grid, size: size, quitStopsEngine: state.mode == .live && state.isActive)
            return grid
        }
        let layout = DashboardLayout.compute(size: size, focus: state.focus)
        HeaderView.draw(state, into: &grid, layout.header)
        if let tabBar = layout.tabBar { TabBarView.draw(state, into: &grid, tabBar) }
        for (panel, rect) in layout.panels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let focused = state.focus == panel
            switch panel {
            case .units: UnitsPanelView.draw(state, into: &grid, rect, focused: focused)
            case .loss: LossPanelView.draw(state, into: &grid, rect, focused: focused)
            case .bits: BitsPanelView.draw(state, into: &grid, rect, focused: focused)
            case .search: SearchPanelView.draw(state, into: &grid, rect, focused: focused)
            case .log: LogPanelView.draw(state, into: &grid, rect, focused: focused)
            case .analysis: AnalysisPanelView.draw(state, into: &grid, rect, focused: focused)
            }
        }
        HintBarView.draw(state, into: &grid, layout.hint)
        if let overlay = state.overlay { OverlayView.draw(overlay, state: state, into: &grid) }
        return grid
    }
}
