import Engine
import Network

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
            let width = rect.maxX - badgeWidth - 1 - x
            grid.putTruncated(description(info, width: width, grid: grid), x: x, y: rect.y, width: width, role: .header)
        } else {
            grid.put("  waiting for the session…", x: x, y: rect.y, role: .header, maxWidth: rect.maxX - badgeWidth - 1 - x)
        }
        grid.put(badge, x: rect.maxX - badgeWidth, y: rect.y, role: badgeRole(s))

        // Second row: the segments in order of importance, as many as fit.
        var segments: [(String, StyleRole)] = []
        if case .replay(let replay) = s.mode {
            segments.append((position(replay, s, charset: grid.charset), .text))
            if let follow = followText(replay), replay.follow != .ended || replay.position >= replay.eventCount { segments.append(follow) }
        }
        if let error = s.engineError, s.runState == .error {
            segments.append(("error: \(error)", .error))
        }
        // Between units and before the first: what the engine is doing, with a bar when it counts.
        if s.currentUnit == nil, let activity = s.activity, !s.mode.isReplay {
            var text = activity
            if let p = s.progress, !p.isFinished, p.total > 1 { text += " " + bar(done: p.done, total: p.total, charset: grid.charset) }
            segments.append((text, .highlight))
        }
        if let unit = s.currentUnit, s.units.indices.contains(unit) {
            segments.append(("unit \(unit + 1)/\(s.units.count) \(LayerName.fit(s.units[unit].info.name, width: 32, charset: grid.charset))", .text))
            segments.append(("it \(s.currentIteration)/\(s.currentIterations)\(s.currentPhase == .weights ? "" : " \(s.currentPhase.rawValue)")", .text))
        } else if !s.units.isEmpty {
            segments.append(("units \(s.unitsDone)/\(s.units.count) done", .text))
        }
        if let paused = s.pausedFor {
            // Nothing runs while paused: no speed to show, and the pause's length is the news.
            segments.append(("paused \(NumberFormat.clock(paused))", .warning))
            if s.currentUnit != nil { segments.append(("— it/s", .muted)) }
        } else if s.iterationsPerSecond > 0, s.currentUnit != nil {
            segments.append((NumberFormat.rate(s.iterationsPerSecond), .text))
        }
        // The badge shows the speed; this is what it means in wall time.
        if case .replay(let replay) = s.mode, let left = replay.playTimeLeft(at: s.sessionTime), left > 0 {
            segments.append(("\(NumberFormat.duration(left)) to play", .text))
        }
        // Elapsed is wall time since the start, pauses included; once resumed it says how much
        // was paused (during a pause the "paused" segment already does).
        let pausedTotal = s.pausedTotal
        let pausedPart = pausedTotal >= 1 && s.pausedFor == nil ? " (\(NumberFormat.clock(pausedTotal)) paused)" : ""
        // In a replay the position segment already holds the session clock.
        if !s.mode.isReplay { segments.append(("elapsed \(NumberFormat.clock(s.elapsed))\(pausedPart)", .muted)) }
        if let eta = s.eta, s.runState != .paused { segments.append(("ETA \(NumberFormat.duration(eta))", .muted)) }
        if let fp = s.fpTop1 { segments.append(("FP \(NumberFormat.percent(fp))", .text)) }
        if let q = s.quantizedTop1 { segments.append(("Q \(NumberFormat.percent(q))\(subjectNote(s.quantizedSubject))", .highlight)) }
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

    /// "event 812/2040 ━━━━──────── 01:23 / 03:30": records played of those known,
    /// a thin bar, and the session clock at this point of the recording and at its end.
    static func position(_ replay: ReplayStatus, _ s: DashboardState, charset: Charset) -> String {
        let total = max(replay.eventCount, replay.position)
        let bar = bar(done: replay.position, total: total, charset: charset)
        return "event \(replay.position)/\(total) \(bar) \(NumberFormat.clock(s.sessionTime)) / \(NumberFormat.clock(max(replay.endTime, s.sessionTime)))"
    }

    /// A thin ten-cell bar, `━━━───` (ASCII `===---`).
    static func bar(done: Int, total: Int, charset: Charset) -> String {
        let cells = 10
        let filled = total <= 0 ? 0 : min(cells, max(0, done) * cells / total)
        let (full, empty): (String, String) = charset == .unicode ? ("━", "─") : ("=", "-")
        return String(repeating: full, count: filled) + String(repeating: empty, count: cells - filled)
    }

    /// What a followed recording is doing: still growing, quiet for a while (said, not hidden), or ended.
    static func followText(_ replay: ReplayStatus) -> (String, StyleRole)? {
        switch replay.follow {
        case nil: return nil
        case .following(let idle):
            guard idle >= ReplayStatus.followIdleNotice else { return ("following", .good) }
            return ("waiting for more (last event \(NumberFormat.clock(Double(idle))) ago)", .warning)
        case .ended: return ("recording ended", .highlight)
        case .stopped: return ("not following (see log)", .error)
        }
    }

    /// " (4/11 units)" when the quantized accuracy was measured before every unit was reconstructed.
    static func subjectNote(_ subject: EvaluationSubject?) -> String {
        guard let subject, subject.isPartial, case .quantized(let count?) = subject else { return "" }
        return " (\(count.done)/\(count.total) units)"
    }

    /// What is being done to which model, most telling first: method, bits and
    /// input shape, then the model and data paths, shortened to "…/dir/file" and
    /// "…/file" and then dropped (data first) until the line fits `width`.
    static func description(_ info: SessionInfo, width: Int, grid: CellGrid) -> String {
        // The input shape says which model this is before any path does (3×224×224 against 1×28×28).
        let times = grid.charset == .unicode ? "×" : "x"
        let shape = info.inputShape.map { " · " + $0.map(String.init).joined(separator: times) } ?? ""
        let method = "\(info.method.rawValue) W\(info.wbits)A\(NumberFormat.abits(info.abits)) \(info.granularity.rawValue)\(shape)"
        let ellipsis = grid.charset == .unicode ? "…" : "..."
        /// The last `components` parts of a path behind an ellipsis ("…/resnet20/model.onnx").
        func short(_ path: String, _ components: Int = 1) -> String {
            let parts = path.split(separator: "/")
            guard parts.count > components else { return path }
            return ellipsis + "/" + parts.suffix(components).joined(separator: "/")
        }
        /// "…/mobilenetv3small/…": the directory that names an exported model, where its whole path does not fit.
        func directory(_ path: String) -> String {
            let parts = path.split(separator: "/")
            guard parts.count >= 2 else { return path }
            return ellipsis + "/" + parts[parts.count - 2] + "/" + ellipsis
        }
        func file(_ path: String) -> String {
            guard let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex else { return path }
            return String(path[path.index(after: slash)...])
        }
        let candidates = [
            "  \(method) · \(info.model) · \(info.data)",
            "  \(method) · \(short(info.model, 2)) · \(short(info.data, 2))",
            "  \(method) · \(short(info.model, 2)) · \(short(info.data))",
            // Exported models are all "model.onnx": their directory names them, so it outlasts the data path.
            "  \(method) · \(short(info.model, 2))",
            file(info.model) == "model.onnx" ? "  \(method) · \(directory(info.model))" : "",
            "  \(method) · \(short(info.model)) · \(short(info.data))",
            "  \(method) · \(file(info.model)) · \(file(info.data))",
            "  \(method) · \(file(info.model))",
        ]
        return candidates.first { !$0.isEmpty && grid.displayWidth($0) <= width } ?? candidates.last!
    }

    static func stateLabel(_ s: DashboardState) -> String {
        var label = s.runState.rawValue.uppercased()
        if s.quitPending && s.isActive { label = "STOPPING" }
        if case .replay(let replay) = s.mode {
            label = "\(replay.follow == nil ? "REPLAY" : "FOLLOW") ×\(NumberFormat.compact(replay.speed))\(replay.paused ? " PAUSED" : "") · " + label
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
