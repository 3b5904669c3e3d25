/// The export form and the lock confirmation: overlays that act on the engine's
/// files or discard its work, so they show everything the user is agreeing to.
extension OverlayView {
    /// The path is shown whole, wrapped over as many lines as it needs: a
    /// truncated path would hide where the model is about to be written.
    static func drawExport(_ form: ExportForm, into grid: inout CellGrid) {
        let width = min(64, grid.width - 8)
        let pathLines = chunk(form.path + "_", width: width)
        let shownLines = Array(pathLines.suffix(max(1, grid.height - 10)))
        let inner = frame("Export quantized model", width: width, height: shownLines.count + 3, into: &grid)
        grid.putTruncated("QDQ ONNX for ONNX Runtime; the encodings JSON goes beside it", x: inner.x, y: inner.y, width: inner.width, role: .muted)
        for (i, line) in shownLines.enumerated() {
            grid.fill(Rect(x: inner.x, y: inner.y + 1 + i, width: inner.width, height: 1), role: .selection)
            grid.put(line, x: inner.x, y: inner.y + 1 + i, role: .selection, maxWidth: inner.width)
        }
        let after = inner.y + 1 + shownLines.count
        if let error = form.error { grid.putTruncated(error, x: inner.x, y: after, width: inner.width, role: .error) }
        grid.putTruncated("type a path · Enter writes · Esc cancels", x: inner.x, y: inner.maxY - 1, width: inner.width, role: .muted)
    }

    static func drawLockConfirm(_ request: LockRequest, into grid: inout CellGrid) {
        let text = "Locking \(request.layer) at W\(request.wbits) changes a layer of unit \(request.unit + 1) (\(request.unitName)), "
            + "which is being reconstructed: the unit restarts and its \(request.iterationsDone) iterations so far are discarded."
        drawConfirm("Restart the running unit?", text: text, yes: "lock and restart", no: "keep the current bits", into: &grid)
    }

    static func drawRewindConfirm(_ request: RewindRequest, into grid: inout CellGrid) {
        let what = request.lock.map { "Locking \($0.layer) at W\($0.wbits) changes a layer of" } ?? "Re-running"
        let text = "\(what) unit \(request.unit + 1) (\(request.unitName)), already reconstructed: the run goes back to it and "
            + "\(request.costText); what those units learnt is discarded, earlier units keep theirs."
        drawConfirm("Re-run finished units?", text: text, yes: request.lock == nil ? "re-run" : "lock and re-run",
                    no: request.lock == nil ? "keep the results" : "keep the current bits", into: &grid)
    }

    /// A y/n box: what is about to be discarded, then the two answers.
    private static func drawConfirm(_ title: String, text: String, yes: String, no: String, into grid: inout CellGrid) {
        let width = min(60, grid.width - 8)
        let lines = chunkWords(text, width: width)
        let inner = frame(title, width: width, height: lines.count + 2, into: &grid)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: inner.x, y: inner.y + i, role: .overlay, maxWidth: inner.width)
        }
        var x = inner.x
        let y = inner.maxY - 1
        x += grid.put("y", x: x, y: y, role: .hintKey)
        x += grid.put(" \(yes)   ", x: x, y: y, role: .overlay)
        x += grid.put("n", x: x, y: y, role: .hintKey)
        grid.put(" \(no)", x: x, y: y, role: .overlay)
    }

    /// Splits text into lines of exactly `width` columns (the last shorter), for paths without spaces.
    static func chunk(_ text: String, width: Int) -> [String] {
        let scalars = Array(text.unicodeScalars)
        guard width > 0, !scalars.isEmpty else { return [text] }
        return stride(from: 0, to: scalars.count, by: width).map {
            String(String.UnicodeScalarView(scalars[$0..<min(scalars.count, $0 + width)]))
        }
    }

    /// Word wrap that also cuts words longer than a line (layer names can be).
    static func chunkWords(_ text: String, width: Int) -> [String] {
        wrap(text, width: width).flatMap { $0.unicodeScalars.count > width ? chunk($0, width: width) : [$0] }
    }
}
