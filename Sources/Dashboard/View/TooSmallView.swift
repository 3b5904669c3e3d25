/// Shown instead of the dashboard when the terminal cannot fit every panel legibly.
enum TooSmallView {
    /// Every key but `q` is ignored here (the reducer drops them), so the
    /// screen says only what `q` will do: with the engine working it stops it.
    static func draw(into grid: inout CellGrid, size: TerminalSize, quitStopsEngine: Bool = false) {
        let lines = [
            "terminal too small (need \(TerminalSize.minimum.width)×\(TerminalSize.minimum.height))",
            "now \(size.width)×\(size.height): enlarge the window",
            quitStopsEngine ? "q stops the run (checkpoint kept) and quits" : "q quits",
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (size.width - grid.displayWidth(line)) / 2)
            grid.put(line, x: x, y: top + i, role: i == 0 ? .error : .muted)
        }
    }
}
