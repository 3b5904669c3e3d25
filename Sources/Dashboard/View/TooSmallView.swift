/// Shown instead of the dashboard when the terminal cannot fit every panel legibly.
enum TooSmallView {
    static func draw(into grid: inout CellGrid, size: TerminalSize) {
        let lines = [
            "terminal too small (need \(TerminalSize.minimum.width)×\(TerminalSize.minimum.height))",
            "now \(size.width)×\(size.height): enlarge the window",
            "q quits",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (size.width - grid.displayWidth(line)) / 2)
            grid.put(line, x: x, y: top + i, role: i == 0 ? .error : .muted)
        }
    }
}
