import Engine

/// The guided tour: `w` (or `brecq tour`) opens it, →/n/Enter and ←/p walk the
/// steps, Esc leaves it with the dashboard (and the replay) where it stands.
extension DashboardReducer {
    /// Opens the tour at its first step. A replay is paused first, so the
    /// screen stays still under the text.
    static func startTour(_ s: inout DashboardState) -> [Effect] {
        var effects: [Effect] = []
        if case .replay(var replay) = s.mode, !replay.paused {
            replay.paused = true
            s.mode = .replay(replay)
            effects.append(.replay(.setPaused(true)))
        }
        return effects + showTourStep(0, from: nil, &s)
    }

    static func tourKey(_ key: Key, step: Int, _ s: inout DashboardState) -> [Effect] {
        switch key {
        case .right, .character("n"), .enter:
            guard step + 1 < TourStep.steps.count else {
                s.overlay = nil
                s.notify("end of the tour: w starts it again, ? lists the keys")
                return []
            }
            return showTourStep(step + 1, from: step, &s)
        case .left, .character("p"), .backspace:
            guard step > 0 else { return [] }
            return showTourStep(step - 1, from: step, &s)
        case .escape, .character("w"):
            s.overlay = nil
            s.notify("left the tour: w starts it again")
        case .character("q"):
            s.overlay = nil
            return handle(key, in: &s)
        default:
            break
        }
        return []
    }

    /// Shows step `index`: focuses its panel, selects its unit, and in a replay
    /// moves the recording when the step stands elsewhere than step `from`.
    private static func showTourStep(_ index: Int, from: Int?, _ s: inout DashboardState) -> [Effect] {
        let step = TourStep.steps[index]
        s.overlay = .tour(index)
        s.overlayScroll = 0
        s.focus = step.focus
        selectTourUnit(step, &s)
        guard s.mode.isReplay, let target = TourStep.position(at: index),
              from.flatMap({ TourStep.position(at: $0) }) != target else { return [] }
        return [.replay(.seek(target))]
    }

    /// A seek selects the running unit; a tour step that shows another keeps its own.
    static func selectTourUnit(_ step: TourStep, _ s: inout DashboardState) {
        guard let unit = step.selectUnit, s.units.indices.contains(unit) else { return }
        s.selectedUnit = unit
        s.followRunning = unit == s.currentUnit
    }
}
