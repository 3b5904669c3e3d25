import Engine

/// Centred boxes over the dashboard: help, teaching, quit confirmation and the two forms.
enum OverlayView {
    static func draw(_ overlay: Overlay, state s: DashboardState, into grid: inout CellGrid) {
        switch overlay {
        case .help: drawHelp(s, into: &grid)
        case .teaching(let panel): drawTeaching(panel, state: s, into: &grid)
        case .quitConfirm: drawQuit(into: &grid)
        case .hyperparameters(let form): drawHyperparameters(form, into: &grid)
        case .iterations(let form): drawIterations(form, s, into: &grid)
        case .export(let form): drawExport(form, into: &grid)
        case .confirmLock(let request): drawLockConfirm(request, into: &grid)
        case .confirmRewind(let request): drawRewindConfirm(request, into: &grid)
        case .gotoUnit(let text): drawGotoUnit(text, s, into: &grid)
        case .blockDiagram(let unit): BlockDiagramView.draw(unit: unit, state: s, into: &grid)
        case .tour(let step): TourView.draw(step: step, state: s, into: &grid)
        }
    }

    /// Clears a rectangle of the given inner size, centred (or from row `top`), and frames it.
    static func frame(_ title: String, width: Int, height: Int, top: Int? = nil, into grid: inout CellGrid) -> Rect {
        let w = min(grid.width - 2, width + 4), h = min(grid.height - 2, height + 2)
        let y = top.map { max(0, min($0, grid.height - h)) } ?? (grid.height - h) / 2
        let rect = Rect(x: (grid.width - w) / 2, y: y, width: w, height: h)
        grid.fill(rect, role: .overlay)
        let g = Glyphs.forCharset(grid.charset)
        for x in rect.x..<rect.maxX { grid.set(x, rect.y, g.horizontal, .overlayBorder); grid.set(x, rect.maxY - 1, g.horizontal, .overlayBorder) }
        for y in rect.y..<rect.maxY { grid.set(rect.x, y, g.vertical, .overlayBorder); grid.set(rect.maxX - 1, y, g.vertical, .overlayBorder) }
        grid.set(rect.x, rect.y, g.topLeft, .overlayBorder); grid.set(rect.maxX - 1, rect.y, g.topRight, .overlayBorder)
        grid.set(rect.x, rect.maxY - 1, g.bottomLeft, .overlayBorder); grid.set(rect.maxX - 1, rect.maxY - 1, g.bottomRight, .overlayBorder)
        grid.put(" \(title) ", x: rect.x + 2, y: rect.y, role: .overlayBorder, maxWidth: rect.width - 4)
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }

    static func drawHelp(_ s: DashboardState, into grid: inout CellGrid) {
        let bindings = KeyBindings.forState(s)
        let keyWidth = bindings.map { grid.displayWidth($0.keys) }.max() ?? 5
        let inner = frame(s.mode.isReplay ? "Keys (replay)" : "Keys", width: min(72, grid.width - 6), height: bindings.count + 1, into: &grid)
        // A list longer than the box scrolls with j/k (as the teaching text does); the last line says so.
        let rows = inner.height - 1
        let first = max(0, min(s.overlayScroll, bindings.count - rows))
        for (i, b) in bindings.dropFirst(first).prefix(rows).enumerated() {
            grid.put(b.keys, x: inner.x, y: inner.y + i, role: .hintKey)
            grid.putTruncated(b.action, x: inner.x + keyWidth + 2, y: inner.y + i, width: inner.width - keyWidth - 2, role: .overlay)
        }
        let more = bindings.count > rows ? "j/k scroll (\(first + min(rows, bindings.count - first))/\(bindings.count)) · " : ""
        grid.put("\(more)Esc or ? closes", x: inner.x, y: inner.maxY - 1, role: .muted, maxWidth: inner.width)
    }

    static func drawTeaching(_ panel: Panel, state s: DashboardState, into grid: inout CellGrid) {
        let width = teachingWidth(grid.width)
        let lines = wrap(TeachingText.text(for: panel, state: s), width: width)
        let inner = frame("What am I looking at? · \(panel.title)", width: width, height: lines.count + 2, into: &grid)
        let rows = inner.height - 2
        // Text longer than the box scrolls with j/k; the last line says so.
        let first = max(0, min(s.overlayScroll, lines.count - rows))
        for (i, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            grid.put(line, x: inner.x, y: inner.y + i, role: .overlay, maxWidth: inner.width)
        }
        let scrolls = lines.count > rows
        let more = scrolls ? "j/k scroll (\(first + min(rows, lines.count - first))/\(lines.count)) · " : ""
        grid.put("\(more)Tab next panel · Esc or t closes", x: inner.x, y: inner.maxY - 1, role: .muted, maxWidth: inner.width)
    }

    static func teachingWidth(_ screenWidth: Int) -> Int { min(70, screenWidth - 6) }

    /// The largest useful scroll of the open overlay's text at the state's size (help or teaching).
    static func overlayScrollLimit(_ s: DashboardState) -> Int {
        switch s.overlay {
        case .teaching(let panel):
            let lines = wrap(TeachingText.text(for: panel, state: s), width: teachingWidth(s.size.width)).count
            // The frame keeps 2 rows for its border and 2 inside for the blank and hint lines.
            let rows = min(s.size.height - 2, lines + 4) - 4
            return max(0, lines - rows)
        case .help:
            let count = KeyBindings.forState(s).count
            // The frame keeps 2 rows for its border and 1 inside for the closing line.
            let rows = min(s.size.height - 2, count + 3) - 3
            return max(0, count - rows)
        default:
            return 0
        }
    }

    static func drawGotoUnit(_ text: String, _ s: DashboardState, into grid: inout CellGrid) {
        let inner = frame("Go to unit", width: 36, height: 2, into: &grid)
        grid.put("unit (1–\(s.units.count)): [\(text)_]", x: inner.x, y: inner.y, role: .overlay, maxWidth: inner.width)
        grid.put("Enter goes · Esc cancels", x: inner.x, y: inner.y + 1, role: .muted, maxWidth: inner.width)
    }

    static func drawQuit(into grid: inout CellGrid) {
        let inner = frame("Quit", width: 50, height: 3, into: &grid)
        grid.put("The session is still running.", x: inner.x, y: inner.y, role: .overlay, maxWidth: inner.width)
        grid.put("Stop it (the checkpoint is written) and quit?", x: inner.x, y: inner.y + 1, role: .overlay, maxWidth: inner.width)
        var x = inner.x
        x += grid.put("y", x: x, y: inner.y + 2, role: .hintKey)
        x += grid.put(" stop and quit   ", x: x, y: inner.y + 2, role: .overlay)
        x += grid.put("n", x: x, y: inner.y + 2, role: .hintKey)
        grid.put(" keep running", x: x, y: inner.y + 2, role: .overlay)
    }

    static func drawHyperparameters(_ form: HyperparameterForm, into grid: inout CellGrid) {
        let fields = HyperparameterForm.Field.allCases
        let inner = frame("Hyperparameters", width: 50, height: fields.count + 3, into: &grid)
        let labelWidth = 22
        for (i, field) in fields.enumerated() where i < inner.height - 3 {
            let y = inner.y + i
            let selected = field == form.selected
            grid.put(field.label, x: inner.x, y: y, role: selected ? .highlight : .overlay, maxWidth: labelWidth)
            let value = field.isToggle ? "< \(form.text(field)) >" : "[\(form.text(field))\(selected ? "_" : "")]"
            grid.put(value, x: inner.x + labelWidth, y: y, role: selected ? .selection : .overlay, maxWidth: inner.width - labelWidth)
        }
        let errorY = inner.maxY - 2
        if let error = form.error {
            grid.putTruncated(error, x: inner.x, y: errorY, width: inner.width, role: .error)
        } else {
            grid.put("valid", x: inner.x, y: errorY, role: .good)
        }
        grid.putTruncated("↑↓ field · type a number · space toggles · Enter applies · Esc", x: inner.x, y: inner.maxY - 1, width: inner.width, role: .muted)
    }

    static func drawIterations(_ form: IterationsForm, _ s: DashboardState, into grid: inout CellGrid) {
        let inner = frame("Iterations", width: 46, height: 5, into: &grid)
        let rows: [(String, String, IterationsForm.Field)] = [
            ("current unit", form.current, .current), ("units not started", form.remaining, .remaining),
        ]
        for (i, (label, value, field)) in rows.enumerated() {
            let selected = form.selected == field
            grid.put(label, x: inner.x, y: inner.y + i, role: selected ? .highlight : .overlay, maxWidth: 20)
            grid.put("[\(value)\(selected ? "_" : "")]", x: inner.x + 20, y: inner.y + i, role: selected ? .selection : .overlay, maxWidth: inner.width - 20)
        }
        if s.currentUnit != nil {
            grid.put("done so far: \(s.currentIteration)", x: inner.x, y: inner.y + 2, role: .muted, maxWidth: inner.width)
        }
        if let error = form.error { grid.putTruncated(error, x: inner.x, y: inner.y + 3, width: inner.width, role: .error) }
        grid.putTruncated("empty = unchanged · Tab field · Enter applies · Esc", x: inner.x, y: inner.maxY - 1, width: inner.width, role: .muted)
    }

    /// Greedy word wrap by display columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty { line = String(word) }
            else if line.unicodeScalars.count + 1 + word.unicodeScalars.count <= width { line += " " + word }
            else { lines.append(line); line = String(word) }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
