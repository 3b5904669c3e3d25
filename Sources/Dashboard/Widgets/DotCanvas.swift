/// A canvas of dots several per cell: braille gives 2×4 dots a cell, the
/// ASCII fallback 1×3 (rendered as ' - . : |), so curves stay smooth-ish either way.
struct DotCanvas {
    let columns: Int
    let rows: Int
    let charset: Charset
    private var bits: [UInt8]
    private var roles: [StyleRole?]

    init(columns: Int, rows: Int, charset: Charset) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.charset = charset
        bits = Array(repeating: 0, count: self.columns * self.rows)
        roles = Array(repeating: nil, count: self.columns * self.rows)
    }

    var dotsPerColumn: Int { charset == .unicode ? 2 : 1 }
    var dotsPerRow: Int { charset == .unicode ? 4 : 3 }
    var dotWidth: Int { columns * dotsPerColumn }
    var dotHeight: Int { rows * dotsPerRow }

    /// Braille dot bits by (column in cell, row in cell).
    private static let brailleBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y), y = 0 at the top. Later series win a shared cell's colour.
    mutating func plot(_ x: Int, _ y: Int, role: StyleRole) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let cx = x / dotsPerColumn, cy = y / dotsPerRow
        let bit: UInt8 = charset == .unicode
            ? Self.brailleBits[x % 2][y % 4]
            : UInt8(1 << (y % 3))
        bits[cy * columns + cx] |= bit
        roles[cy * columns + cx] = role
    }

    /// A straight line of dots (Bresenham).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, role: StyleRole) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            plot(x, y, role: role)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    func isSet(column: Int, row: Int) -> Bool { bits[row * columns + column] != 0 }

    /// Copies the set cells onto the grid; empty cells keep what is beneath (axes, markers).
    func draw(into grid: inout CellGrid, x: Int, y: Int) {
        for row in 0..<rows {
            for column in 0..<columns {
                let b = bits[row * columns + column]
                guard b != 0, let role = roles[row * columns + column] else { continue }
                grid.set(x + column, y + row, glyph(b), role)
            }
        }
    }

    private func glyph(_ b: UInt8) -> Unicode.Scalar {
        if charset == .unicode { return Unicode.Scalar(0x2800 + UInt32(b))! }
        switch b {
        case 1: return "'"
        case 2: return "-"
        case 4: return "."
        case 5: return ":"
        default: return "|"
        }
    }
}
