/// A bar filled to `fraction` of `width`, with eighth-cell precision in UTF-8.
struct HorizontalBar {
    var fraction: Double
    var role: StyleRole

    func draw(into grid: inout CellGrid, x: Int, y: Int, width: Int) {
        guard width > 0 else { return }
        let g = Glyphs.forCharset(grid.charset)
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        let eighths = Int((f * Double(width * 8)).rounded())
        for i in 0..<width {
            let filled = eighths - i * 8
            if filled >= 8 { grid.set(x + i, y, g.barFull, role) }
            else if filled > 0 && g.barEighths[filled] != " " { grid.set(x + i, y, g.barEighths[filled], role) }
            else { grid.set(x + i, y, g.barEmpty, .muted) }
        }
    }
}
