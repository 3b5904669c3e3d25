import Engine

/// Two rows: what is being quantized and the run's state; then progress, speed and accuracy.
enum HeaderView {
    static func draw(_ s: DashboardState, into grid: inout CellGrid, _ rect: Rect) {
        grid.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: .header)
        grid.fill(Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), role: .text)

        let badge = " \(stateLabel(s)) "
        let badgeWidth = grid.displayWidth(badge)
        var x = rect.x + 1
        x += grid.put("BrecqQuant", x: x, y: rect.y, role: .headerAccent)
        if let info = s.session {
            let description = "  \(info.model) · \(info.data) · \(info.method) W\(info.wbits)A\(NumberFormat.abits(info.abits)) \(info.granularity)"
            grid.putTruncated(description, x: x, y: rect.y, width: rect.maxX - badgeWidth - 1 - x, role: .header)
        } else {
            grid.put("  waiting for the session…", x: x, y: rect.y, role: .header, maxWidth: rect.maxX - badgeWidth - 1 - x)
        }
        grid.put(badge, x: rect.maxX - badgeWidth, y: rect.y, role: badgeRole(s))

        // Second row: the segments in order of importance, as many as fit.
        var segments: [(String, StyleRole)] = []
        if let error = s.engineError, s.runState == .error {
            segments.append(("error: \(error)", .error))
        }
        if let unit = s.currentUnit, s.units.indices.contains(unit) {
            segments.append(("unit \(unit + 1)/\(s.units.count) \(LayerName.fit(s.units[unit].info.name, width: 32, charset: grid.charset))", .text))
            segments.append(("it \(s.currentIteration)/\(s.currentIterations)\(s.currentPhase == .weights ? "" : " \(s.currentPhase.rawValue)")", .text))
        } else if !s.units.isEmpty {
            segments.append(("units \(s.unitsDone)/\(s.units.count) done", .text))
        }
        if s.iterationsPerSecond > 0, s.currentUnit != nil { segments.append(("\(NumberFormat.compact((s.iterationsPerSecond * 10).rounded() / 10)) it/s", .text)) }
        segments.append(("elapsed \(NumberFormat.clock(s.elapsed))", .muted))
        if let eta = s.eta { segments.append(("ETA \(NumberFormat.duration(eta))", .muted)) }
        if let fp = s.fpTop1 { segments.append(("FP \(NumberFormat.percent(fp))", .text)) }
        if let q = s.quantizedTop1 { segments.append(("Q \(NumberFormat.percent(q))", .highlight)) }
        if let search = s.search?.latest, s.runState == .searching {
            segments.append(("gen \(search.generation)/\(search.generations)", .text))
        }

        x = rect.x + 1
        let y = rect.y + 1
        for (i, (text, role)) in segments.enumerated() {
            let separator = i == 0 ? "" : " · "
            let needed = grid.displayWidth(separator + text)
            if x + needed > rect.maxX - 1 {
                if i == 0 { grid.putTruncated(text, x: x, y: y, width: rect.maxX - 1 - x, role: role) }
                break
            }
            x += grid.put(separator, x: x, y: y, role: .muted)
            x += grid.put(text, x: x, y: y, role: role)
        }
    }

    static func stateLabel(_ s: DashboardState) -> String {
        var label = s.runState.rawValue.uppercased()
        if s.quitPending && s.isActive { label = "STOPPING" }
        if case .replay(let replay) = s.mode {
            label = "REPLAY ×\(NumberFormat.compact(replay.speed))\(replay.paused ? " PAUSED" : "") · " + label
        }
        return label
    }

    static func badgeRole(_ s: DashboardState) -> StyleRole {
        switch s.runState {
        case .running, .calibrating, .starting: .good
        case .paused, .stopped: .warning
        case .error: .error
        case .searching, .evaluating: .highlight
        case .done: .good
        }
    }
}
