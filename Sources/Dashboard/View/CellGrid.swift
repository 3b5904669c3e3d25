import Tensor

/// One terminal cell: a single-column character and what it means.
public struct Cell: Sendable, Equatable {
    public var scalar: Unicode.Scalar
    public var role: StyleRole
    public init(_ scalar: Unicode.Scalar, _ role: StyleRole) { self.scalar = scalar; self.role = role }
    public static let blank = Cell(" ", .text)
}

/// The in-memory screen the view draws into. The backend copies it to the
/// terminal, sending only cells that differ from the previous frame.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let charset: Charset
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, charset: Charset) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.charset = charset
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    public mutating func set(_ x: Int, _ y: Int, _ scalar: Unicode.Scalar, _ role: StyleRole) {
        self[x, y] = Cell(scalar, role)
    }

    /// Writes `text` from (x, y), clipped to `maxWidth` columns (and the grid);
    /// returns the columns used. In ASCII mode non-ASCII characters are spelled
    /// out or replaced, and control or wide characters never reach the grid.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        let limit = min(maxWidth ?? Int.max, width - x)
        guard limit > 0, y >= 0, y < height else { return 0 }
        var column = 0
        for scalar in displayScalars(text) {
            if column >= limit { break }
            set(x + column, y, scalar, role)
            column += 1
        }
        return column
    }

    /// Writes `text` clipped to `width`, ending with "…" (or "~") when cut.
    @discardableResult
    public mutating func putTruncated(_ text: String, x: Int, y: Int, width w: Int, role: StyleRole) -> Int {
        let scalars = displayScalars(text)
        guard w > 0 else { return 0 }
        if scalars.count <= w { return put(text, x: x, y: y, role: role, maxWidth: w) }
        var column = 0
        for scalar in scalars.prefix(w - 1) { set(x + column, y, scalar, role); column += 1 }
        set(x + column, y, charset == .unicode ? "…" : "~", role)
        return w
    }

    /// Columns `text` takes once made displayable.
    public func displayWidth(_ text: String) -> Int { displayScalars(text).count }

    public mutating func fill(_ rect: Rect, _ scalar: Unicode.Scalar = " ", role: StyleRole) {
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) { set(x, y, scalar, role) }
        }
    }

    /// The characters row by row, trailing spaces kept: the snapshot format.
    public var text: String {
        (0..<height).map { y in
            String(String.UnicodeScalarView(cells[(y * width)..<((y + 1) * width)].map(\.scalar)))
        }.joined(separator: "\n")
    }

    /// One line of text at row `y` (for tests and diagnostics).
    public func row(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        return String(String.UnicodeScalarView(cells[(y * width)..<((y + 1) * width)].map(\.scalar)))
    }

    /// Every panel draws through here, so this is where text from files (node
    /// names, paths, event messages) loses its control characters: ESC, C1 and
    /// bidirectional overrides are shown escaped (`TerminalText`), never sent.
    private func displayScalars(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in TerminalText.sanitized(text).unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { out.append(" "); continue }
            if scalar.isASCII { out.append(scalar); continue }
            if charset == .ascii {
                out.append(contentsOf: (Self.asciiSpelling[scalar] ?? "?").unicodeScalars)
            } else if scalar.properties.generalCategory == .nonspacingMark || Self.isWide(scalar) {
                // Combining marks and double-width characters would shift every cell after them.
                out.append("?")
            } else {
                out.append(scalar)
            }
        }
        return out
    }

    private static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    /// Readable ASCII for the non-ASCII characters the dashboard itself writes.
    static let asciiSpelling: [Unicode.Scalar: String] = [
        "λ": "lambda", "β": "beta", "α": "alpha", "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "…": "...",
        "·": "-", "×": "x", "‖": "||", "–": "-", "—": "-", "↑": "^", "↓": "v", "±": "+/-", "•": "*",
        "▲": "^", "▼": "v", "●": "*", "○": "o", "✓": "v", "✗": "x",
    ]
}

public struct Rect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    /// The area inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
}
