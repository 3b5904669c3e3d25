import Quantization
import Tensor

/// Every event decoded from a recording passes through here: numbers are
/// checked against `EventFieldLimits` (a `unit` of INT64_MAX, a `wbits` of
/// INT64_MIN or a `wall_seconds` of 1e300 are refused, naming the field) and
/// text shown in the terminal has its control characters escaped. Events the
/// engine makes itself are within these limits by construction.
extension EngineEvent {
    /// The event with its text sanitized, or an error naming the first field out of range.
    public func validated(type: String) throws(UntrustedSizeError) -> EngineEvent {
        let v = EventFieldValidator(prefix: type)
        switch self {
        case .sessionStarted(var p):
            v.text(&p.model); v.text(&p.data)
            try v.int(p.wbits, "wbits", EventFieldLimits.bits)
            try v.int(p.abits, "abits", EventFieldLimits.bits)
            try v.int(p.iterations, "iterations", EventFieldLimits.iterations)
            try v.int(p.activationIterations, "activation_iterations", EventFieldLimits.iterations)
            try v.int(p.calibrationSize, "calibration_size", EventFieldLimits.images)
            try v.hyperparameters(p.hyperparameters)
            try v.count(p.units.count, "units", limit: EventFieldLimits.units)
            try v.count(p.layers.count, "layers", limit: EventFieldLimits.layers)
            for i in p.units.indices { try v.unitInfo(&p.units[i], "units[\(i)]") }
            for i in p.layers.indices { try v.layerInfo(&p.layers[i], "layers[\(i)]") }
            if let shape = p.inputShape {
                try v.count(shape.count, "input_shape", limit: EventFieldLimits.shapeRank)
                for (i, d) in shape.enumerated() { try v.int(d, "input_shape[\(i)]", EventFieldLimits.parameters) }
            }
            return .sessionStarted(p)
        case .stateChanged:
            return self
        case .unitStarted(var p):
            try v.unit(p.unit, "unit"); v.text(&p.name)
            try v.int(p.iterations, "iterations", EventFieldLimits.iterations)
            try v.int(p.warmupIterations, "warmup_iterations", EventFieldLimits.iterations)
            if let l = p.startLoss { try v.loss(l, "start_loss") }
            if let l = p.nearestLoss { try v.loss(l, "nearest_loss") }
            return .unitStarted(p)
        case .iteration(let p):
            try v.unit(p.unit, "unit")
            try v.int(p.iteration, "iteration", EventFieldLimits.iterations)
            try v.int(p.iterations, "iterations", EventFieldLimits.iterations)
            try v.loss(p.reconstructionLoss, "reconstruction_loss")
            try v.loss(p.regularizerLoss, "regularizer_loss")
            try v.real(p.beta, "beta")
            try v.real(p.iterationsPerSecond, "iterations_per_second", nonNegative: true)
            if let l = p.hardLoss { try v.loss(l, "hard_loss") }
            return self
        case .rounding(var p):
            try v.rounding(&p)
            return .rounding(p)
        case .unitFinished(var p):
            try v.unit(p.unit, "unit"); v.text(&p.name)
            try v.loss(p.lossBefore, "loss_before")
            try v.loss(p.lossAfter, "loss_after")
            try v.seconds(p.seconds, "seconds")
            if let snr = p.snrBefore { try v.loss(snr, "snr_before") }
            if let snr = p.snrAfter { try v.loss(snr, "snr_after") }
            return .unitFinished(p)
        case .bitsChanged(var p):
            v.text(&p.layer)
            try v.int(p.wbits, "wbits", EventFieldLimits.bits)
            try v.int(p.abits, "abits", EventFieldLimits.bits)
            return .bitsChanged(p)
        case .rewound(var p):
            try v.unit(p.unit, "unit"); v.text(&p.name); v.text(&p.reason)
            return .rewound(p)
        case .iterationsChanged(let p):
            if let unit = p.unit { try v.unit(unit, "unit") }
            if let current = p.currentIterations { try v.int(current, "current_iterations", EventFieldLimits.iterations) }
            try v.int(p.defaultIterations, "default_iterations", EventFieldLimits.iterations)
            return self
        case .hyperparametersChanged(let h):
            try v.hyperparameters(h)
            return self
        case .searchSensitivity(var p):
            v.text(&p.unit)
            try v.count(p.total, "total", limit: EventFieldLimits.iterations.upperBound)
            try v.int(p.done, "done", 0...p.total)
            try v.seconds(p.seconds, "seconds")
            return .searchSensitivity(p)
        case .searchStarted(var p):
            v.text(&p.measure)
            if var kind = p.budgetKind { v.text(&kind); p.budgetKind = kind }
            if var unit = p.unit { v.text(&unit); p.unit = unit }
            if let amount = p.budgetAmount { try v.real(amount, "budget_amount", nonNegative: true) }
            try v.int(p.generations, "generations", EventFieldLimits.iterations)
            try v.int(p.population, "population", EventFieldLimits.iterations)
            try v.real(p.budget, "budget", nonNegative: true)
            // The engine writes no uniform4_cost when there is none; a dashboard start event may carry NaN.
            if !p.uniform4Cost.isNaN { try v.real(p.uniform4Cost, "uniform4_cost", nonNegative: true) }
            return .searchStarted(p)
        case .searchGeneration(let p):
            try v.int(p.generation, "generation", EventFieldLimits.iterations)
            try v.int(p.generations, "generations", EventFieldLimits.iterations)
            try v.loss(p.bestObjective, "best_objective")
            try v.loss(p.meanObjective, "mean_objective")
            try v.int(p.feasible, "feasible", EventFieldLimits.iterations)
            try v.int(p.population, "population", EventFieldLimits.iterations)
            try v.count(p.bestBits.count, "best_bits", limit: EventFieldLimits.layers)
            for (i, bits) in p.bestBits.enumerated() { try v.int(bits, "best_bits[\(i)]", EventFieldLimits.bits) }
            try v.real(p.bestCost, "best_cost", nonNegative: true)
            try v.real(p.budget, "budget", nonNegative: true)
            if let bits = p.bestAverageBits { try v.real(bits, "best_average_bits", in: 0...32) }
            return self
        case .evaluation(let p):
            if case .quantized(let count?) = p.model {
                try v.count(count.total, "model.total", limit: EventFieldLimits.units)
                try v.int(count.done, "model.done", 0...count.total)
            }
            try v.int(p.images, "images", EventFieldLimits.images)
            try v.real(p.top1, "top1", in: 0...100)
            try v.real(p.top5, "top5", in: 0...100)
            if let kl = p.kl { try v.loss(kl, "kl") }
            return self
        case .checkpointWritten(var p):
            v.text(&p.path)
            try v.int(p.unitsDone, "units_done", 0...EventFieldLimits.units)
            return .checkpointWritten(p)
        case .analysis(var p):
            try v.analysis(&p)
            return .analysis(p)
        case .estimate(var p):
            try v.estimate(&p)
            return .estimate(p)
        case .message(var p):
            v.text(&p.text)
            return .message(p)
        case .progress(var p):
            v.text(&p.stage)
            try v.count(p.total, "total", limit: EventFieldLimits.images.upperBound)
            try v.int(p.done, "done", 0...p.total)
            if let unit = p.unit { try v.unit(unit, "unit") }
            return .progress(p)
        case .finished(let p):
            if let fp = p.fpTop1 { try v.real(fp, "fp_top1", in: 0...100) }
            if let q = p.quantTop1 { try v.real(q, "quant_top1", in: 0...100) }
            try v.seconds(p.wallSeconds, "wall_seconds")
            if let b = p.peakRssBytes { try v.int(b, "peak_rss_bytes", 0...EventFieldLimits.memoryBytes) }
            return self
        case .exportFinished(var p):
            v.text(&p.output); v.text(&p.text)
            return .exportFinished(p)
        }
    }
}

/// Checks one event's fields, naming each as `type.field` in its errors.
struct EventFieldValidator {
    let prefix: String

    func name(_ field: String) -> String { "\(prefix).\(field)" }

    func int(_ value: Int, _ field: String, _ range: ClosedRange<Int>) throws(UntrustedSizeError) {
        _ = try CheckedSize.integer(value, name(field), in: range)
    }

    func count(_ value: Int, _ field: String, limit: Int) throws(UntrustedSizeError) {
        _ = try CheckedSize.count(value, name(field), limit: limit)
    }

    /// A unit index the dashboard will look up.
    func unit(_ value: Int, _ field: String) throws(UntrustedSizeError) {
        _ = try CheckedSize.index(value, below: EventFieldLimits.units, name(field))
    }

    func real(_ value: Double, _ field: String, nonNegative: Bool = false) throws(UntrustedSizeError) {
        let limit = EventFieldLimits.magnitude
        try real(value, field, in: (nonNegative ? 0 : -limit)...limit)
    }

    func real(_ value: Double, _ field: String, in range: ClosedRange<Double>) throws(UntrustedSizeError) {
        guard value.isFinite else { throw UntrustedSizeError(what: name(field), reason: "\(value) is not a finite number") }
        guard range.contains(value) else {
            throw UntrustedSizeError(what: name(field), reason: "\(Self.short(value)) is outside \(Self.short(range.lowerBound))…\(Self.short(range.upperBound))")
        }
    }

    /// Losses and objectives: a diverged run records NaN or infinity, which every
    /// view shows as such; a finite value must still be small enough to chart.
    func loss(_ value: Double, _ field: String) throws(UntrustedSizeError) {
        guard value.isFinite else { return }
        try real(value, field)
    }

    /// 1000000000 rather than 1000000000.0; 1e+300 as Swift writes it.
    static func short(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    func seconds(_ value: Double, _ field: String) throws(UntrustedSizeError) {
        try real(value, field, in: EventFieldLimits.time)
    }

    func text(_ value: inout String) { value = TerminalText.sanitized(value) }

    func hyperparameters(_ h: Hyperparameters) throws(UntrustedSizeError) {
        if let e = h.validationError() { throw UntrustedSizeError(what: name("hyperparameters"), reason: e) }
        // validationError leaves λ unbounded above; the dashboard prints it.
        try real(h.roundWeight, "round_weight", nonNegative: true)
    }

    func unitInfo(_ u: inout UnitInfo, _ field: String) throws(UntrustedSizeError) {
        text(&u.name); text(&u.kind)
        for i in u.layers.indices { text(&u.layers[i]) }
        try int(u.index, "\(field).index", 0...(EventFieldLimits.units - 1))
        try count(u.layers.count, "\(field).layers", limit: EventFieldLimits.layers)
        try count(u.outputShape.count, "\(field).output_shape", limit: EventFieldLimits.shapeRank)
        for (i, d) in u.outputShape.enumerated() { try int(d, "\(field).output_shape[\(i)]", EventFieldLimits.parameters) }
        try int(u.params, "\(field).params", EventFieldLimits.parameters)
        try int(u.macs, "\(field).macs", EventFieldLimits.parameters)
        if var nodes = u.nodes {
            try count(nodes.count, "\(field).nodes", limit: EventFieldLimits.unitNodes)
            for k in nodes.indices {
                text(&nodes[k].name); text(&nodes[k].op)
                try count(nodes[k].inputs.count, "\(field).nodes[\(k)].inputs", limit: EventFieldLimits.unitNodes)
                // An operand is the unit's input (-1) or an earlier node: the diagram never loops.
                for (j, input) in nodes[k].inputs.enumerated() {
                    try int(input, "\(field).nodes[\(k)].inputs[\(j)]", -1...(k - 1))
                }
            }
            u.nodes = nodes
        }
    }

    /// Every count is within its layer's weights and the histogram adds up to them, so
    /// percentages stay in 0…100 and bars never overflow their cells.
    func rounding(_ p: inout RoundingSnapshot) throws(UntrustedSizeError) {
        try unit(p.unit, "unit")
        try int(p.iteration, "iteration", EventFieldLimits.iterations)
        try int(p.iterations, "iterations", EventFieldLimits.iterations)
        if let beta = p.beta { try real(beta, "beta", nonNegative: true) }
        try count(p.layers.count, "layers", limit: EventFieldLimits.layers)
        for i in p.layers.indices {
            let field = "layers[\(i)]"
            text(&p.layers[i].layer)
            let weights = p.layers[i].weights
            try int(weights, "\(field).weights", EventFieldLimits.parameters)
            try int(p.layers[i].flips, "\(field).flips", 0...weights)
            try int(p.layers[i].undecided, "\(field).undecided", 0...weights)
            try count(p.layers[i].histogram.count, "\(field).histogram", limit: EventFieldLimits.histogramBins.upperBound)
            var total = 0
            for (b, n) in p.layers[i].histogram.enumerated() {
                try int(n, "\(field).histogram[\(b)]", 0...weights)
                total += n
            }
            guard total == weights else {
                throw UntrustedSizeError(what: name("\(field).histogram"), reason: "adds up to \(total), not the layer's \(weights) weights")
            }
        }
    }

    /// Durations within the session clock's range, so that a live ETA adding them stays finite.
    func estimate(_ p: inout RunEstimate) throws(UntrustedSizeError) {
        text(&p.name)
        try unit(p.unit, "unit")
        try seconds(p.seconds, "seconds")
        try seconds(p.weightsSeconds, "weights_seconds")
        try seconds(p.activationsSeconds, "activations_seconds")
        try seconds(p.evaluationSeconds, "evaluation_seconds")
        if let b = p.betweenUnitsSeconds { try seconds(b, "between_units_seconds") }
        try real(p.iterationsPerSecond, "iterations_per_second", nonNegative: true)
        try count(p.units.count, "units", limit: EventFieldLimits.units)
        for (i, u) in p.units.enumerated() {
            try unit(u.unit, "units[\(i)].unit")
            try seconds(u.seconds, "units[\(i)].seconds")
        }
    }

    func layerInfo(_ l: inout LayerInfo, _ field: String) throws(UntrustedSizeError) {
        text(&l.name); text(&l.kind)
        try unit(l.unit, "\(field).unit")
        try int(l.params, "\(field).params", EventFieldLimits.parameters)
        try int(l.macs, "\(field).macs", EventFieldLimits.parameters)
        try int(l.wbits, "\(field).wbits", EventFieldLimits.bits)
        try int(l.abits, "\(field).abits", EventFieldLimits.bits)
    }
}
