/// The drawing characters for a charset: box drawing and block elements in
/// UTF-8, plain ASCII stand-ins otherwise (`LANG=C`, old consoles).
struct Glyphs: Sendable {
    let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Unicode.Scalar
    let axisCorner, axisTickY, axisTickX: Unicode.Scalar
    let markerLine: Unicode.Scalar
    let pointer: Unicode.Scalar
    let lock: Unicode.Scalar
    let legend: Unicode.Scalar
    /// Eight heights, lowest first, for sparklines.
    let sparks: [Unicode.Scalar]
    /// Partial widths of a horizontal bar in eighths (index 1…7); the full cell is `barFull`.
    let barEighths: [Unicode.Scalar]
    let barFull: Unicode.Scalar
    let barEmpty: Unicode.Scalar
    let arrow: String
    let statusPending, statusRunning, statusDone, statusSkipped: Unicode.Scalar

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        axisCorner: "└", axisTickY: "┤", axisTickX: "┴", markerLine: "┊", pointer: "▶", lock: "●", legend: "●",
        sparks: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        barEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"], barFull: "█", barEmpty: "·",
        arrow: "→", statusPending: "·", statusRunning: "●", statusDone: "✓", statusSkipped: "»")

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        axisCorner: "+", axisTickY: "+", axisTickX: "+", markerLine: ":", pointer: ">", lock: "L", legend: "*",
        sparks: ["_", "_", ".", "-", "-", "=", "#", "#"],
        barEighths: [" ", " ", " ", " ", "#", "#", "#", "#"], barFull: "#", barEmpty: ".",
        arrow: "->", statusPending: ".", statusRunning: "*", statusDone: "+", statusSkipped: "~")

    static func forCharset(_ charset: Charset) -> Glyphs { charset == .unicode ? .unicode : .ascii }
}
