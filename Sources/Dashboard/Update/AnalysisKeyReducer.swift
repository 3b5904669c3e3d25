import Engine

extension DashboardReducer {
    /// `b` and `r` on the Analysis page act on its selected layer: `b` raises
    /// the layer's weight bits (2 → 4 → 8) and locks them, as the bits panel's
    /// `b` does; `r` restarts the layer's unit when it is the one running, and
    /// re-runs it (with every later unit) when it is finished, after a y/n.
    static func analysisKey(_ key: Key, _ s: inout DashboardState) -> [Effect] {
        guard let rows = s.analysis?.report.worstFirst, rows.indices.contains(s.analysisSelection) else {
            s.notify("no analysis yet: the engine analyses after each unit", isError: true)
            return []
        }
        let name = rows[s.analysisSelection].layer
        guard let layer = s.layers.first(where: { $0.name == name }) else {
            s.notify("\(name) is not a layer of this session", isError: true)
            return []
        }
        if key == .character("b") {
            if let why = bitsFixedReason(layer, s) { s.notify(why, isError: true); return [] }
            guard let bits = bitCycle.first(where: { $0 > layer.wbits }) else {
                s.notify("\(layer.name) is already at W\(layer.wbits), the most bits offered", isError: true)
                return []
            }
            return requestLock(layer, wbits: bits, abits: layer.abits, &s)
        }
        if isFinished(unit: layer.unit, s) { return askRewind(to: layer.unit, lock: nil, &s) }
        guard let running = s.currentUnit, running == layer.unit else {
            let status = s.units.indices.contains(layer.unit) ? s.units[layer.unit].status.rawValue : "unknown"
            s.notify("r re-runs a layer's unit once it has run; \(layer.name)'s unit \(layer.unit + 1) is \(status)", isError: true)
            return []
        }
        s.notify("restart of unit \(running + 1) requested")
        return [.send(.restartUnit)]
    }
}
