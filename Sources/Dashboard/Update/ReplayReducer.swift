import Engine

/// Lecture controls of a replay: seeking, stepping, bookmarks, and the
/// recording's growth while it is followed. Seeks are answered by the replay
/// controller with the records to reduce (`Msg.replayJumped`); going back
/// rebuilds the state from the first record, which is exact because
/// `apply` is pure, and cheap because nothing is drawn until the jump is done.
extension DashboardReducer {
    static func lectureKey(_ key: Key, _ replay: ReplayStatus, _ s: inout DashboardState) -> [Effect]? {
        switch key {
        case .character("["): return [.replay(.seek(.unit(forward: false)))]
        case .character("]"): return [.replay(.seek(.unit(forward: true)))]
        case .character("<"): return [.replay(.seek(.fraction(-0.1)))]
        case .character(">"): return [.replay(.seek(.fraction(0.1)))]
        case .character("0"), .character("R"): return [.replay(.seek(.start))]
        case .character("g"):
            guard !s.units.isEmpty else { s.notify("no units yet to go to", isError: true); return [] }
            s.overlay = .gotoUnit("")
            return []
        case .character("."):
            // Stepping is for a paused replay; a playing one pauses first, so the step is what stays on screen.
            guard replay.paused else {
                var paused = replay
                paused.paused = true
                s.mode = .replay(paused)
                return [.replay(.setPaused(true)), .replay(.seek(.step))]
            }
            return [.replay(.seek(.step))]
        case .character("B"):
            var marked = replay
            if let i = marked.bookmarks.firstIndex(of: replay.position) {
                marked.bookmarks.remove(at: i)
                s.notify("bookmark removed at event \(replay.position)")
            } else {
                marked.bookmarks.append(replay.position)
                marked.bookmarks.sort()
                s.notify("bookmark \(marked.bookmarks.firstIndex(of: replay.position)! + 1)/\(marked.bookmarks.count) set at event \(replay.position) (' jumps between them)")
            }
            s.mode = .replay(marked)
            return [.replay(.saveBookmarks(marked.bookmarks))]
        case .character("'"):
            guard let first = replay.bookmarks.first else { s.notify("no bookmarks yet: B sets one here", isError: true); return [] }
            // After the last one, round to the first, so a class can be walked through them again.
            let target = replay.bookmarks.first { $0 > replay.position } ?? first
            return [.replay(.seek(.position(target)))]
        default:
            return nil
        }
    }

    /// The unit-number prompt of `g`.
    static func editGotoUnit(_ key: Key, _ text: String, _ s: inout DashboardState) -> [Effect] {
        switch key {
        case .escape:
            s.overlay = nil
        case .backspace:
            s.overlay = .gotoUnit(String(text.dropLast()))
        case .character(let c) where c.isASCII && c.isNumber && text.count < 6:
            s.overlay = .gotoUnit(text + String(c))
        case .enter:
            guard let number = Int(text), (1...max(1, s.units.count)).contains(number), !s.units.isEmpty else {
                s.notify("unit: type a number from 1 to \(s.units.count)", isError: true)
                return []
            }
            s.overlay = nil
            return [.replay(.seek(.unitNumber(number)))]
        default:
            break
        }
        return []
    }

    static func jumped(_ jump: ReplayJump, _ s: inout DashboardState) {
        guard case .replay(var replay) = s.mode else { return }
        let before = replay.position
        if jump.fromStart {
            replay.position = 0
            // The rebuilt log holds only what the records say; the end is said again when reached again.
            replay.endAnnounced = false
            s = s.emptiedForReplay(replay)
        }
        for record in jump.records { _ = apply(record, to: &s) }
        replay.position = jump.position
        s.mode = .replay(replay)
        announceEndIfReached(&s)
        // Back on the running unit, wherever the jump landed.
        s.followRunning = true
        if let unit = s.currentUnit { s.selectedUnit = unit }
        if case .tour(let step) = s.overlay, TourStep.steps.indices.contains(step) { selectTourUnit(TourStep.steps[step], &s) }
        if jump.position == before {
            s.notify(jump.position >= replay.eventCount ? "at the end of the recording" : "nothing further that way (event \(jump.position)/\(replay.eventCount))")
        } else {
            s.notify("event \(jump.position)/\(replay.eventCount) · \(NumberFormat.clock(s.sessionTime))\(s.currentUnit.map { " · unit \($0 + 1)" } ?? "")")
        }
    }

    static func updateProgress(_ progress: ReplayProgress, _ s: inout DashboardState) {
        guard case .replay(var replay) = s.mode else { return }
        replay.eventCount = progress.eventCount
        replay.endTime = progress.endTime
        replay.duration = progress.duration
        replay.follow = progress.follow
        s.mode = .replay(replay)
        announceEndIfReached(&s)
    }

    /// The follower reads the `finished` event before playback reaches it; the
    /// end is said when the viewer gets there, once.
    static func announceEndIfReached(_ s: inout DashboardState) {
        guard case .replay(var replay) = s.mode, replay.follow == .ended, !replay.endAnnounced,
              replay.position >= replay.eventCount else { return }
        replay.endAnnounced = true
        s.mode = .replay(replay)
        s.appendLog(nil, "the followed recording has ended (finished event, \(replay.eventCount) events)")
    }
}

extension DashboardState {
    /// A state with nothing of the recording played: what the user arranged
    /// (size, theme, focus, scale, selected layer) stays, what events built goes.
    func emptiedForReplay(_ replay: ReplayStatus) -> DashboardState {
        var fresh = DashboardState(mode: .replay(replay), size: size, themeNames: themeNames, themeIndex: themeIndex,
                                   evaluationImages: evaluationImages)
        fresh.now = now
        fresh.focus = focus
        fresh.logScale = logScale
        fresh.selectedLayer = selectedLayer
        fresh.exportDirectory = exportDirectory
        fresh.overlay = overlay
        fresh.notice = notice
        return fresh
    }
}
