import Quantization

extension SessionWorker {
    /// Emits what the soft rounding of `r`'s layers is doing now; nothing for a
    /// phase that learns no rounding (activations only). `beta` is nil while
    /// the regulariser is off.
    func emitRounding(_ r: UnitReconstructor, beta: Double?) {
        let layers = r.roundingStatistics()
        guard !layers.isEmpty else { return }
        emit(.rounding(RoundingSnapshot(unit: unitIndex, phase: r.phase, iteration: r.iteration, iterations: r.iterations,
                                        beta: beta, layers: layers)))
    }

    /// Whether iteration `t` gets a rounding event: every `roundingInterval` iterations and at the phase's end.
    func roundingDue(_ r: UnitReconstructor, iteration t: Int) -> Bool {
        r.phase != .activations && (t % configuration.effectiveRoundingInterval == 0 || r.isComplete)
    }
}

extension RunConfiguration {
    /// Iterations between rounding events when none is set: a few per unit at the
    /// default 20 000 iterations, so the h(α) histogram is seen sharpening as β anneals.
    public static let defaultRoundingInterval = 200

    public var effectiveRoundingInterval: Int { max(1, roundingInterval ?? Self.defaultRoundingInterval) }
}
