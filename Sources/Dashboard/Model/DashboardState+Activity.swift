import Engine

extension DashboardState {
    /// What the engine is doing while no unit iterates, in words: the latest
    /// `progress` stage ("decoding training images 40/64", "preparing block2…"),
    /// or before the session has started what its state means. At 224×224 these
    /// take seconds to minutes, and a screen saying only "waiting" looks hung.
    public var activity: String? {
        if let progress, !progress.isFinished {
            var stage = progress.stage
            // "preparing block2", or for a layer-wise run a layer's name fitted ("preparing 1.0…mple.0").
            if let unit = progress.unit, units.indices.contains(unit) {
                stage += " " + LayerName.fit(units[unit].info.name, width: 20, charset: .unicode)
            }
            return progress.total > 1 ? "\(stage) \(progress.done)/\(progress.total)" : "\(stage)…"
        }
        guard session == nil else { return nil }
        switch runState {
        case .starting: return "loading the model and data…"
        case .calibrating: return "calibrating the quantizers…"
        default: return nil
        }
    }

    /// The placeholder of a panel with nothing to show yet.
    var waitingText: String { activity ?? "waiting for the session…" }
}
