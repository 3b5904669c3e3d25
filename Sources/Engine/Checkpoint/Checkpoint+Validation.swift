import Foundation
import Network
import Quantization
import Tensor

extension Checkpoint {
    /// Zero points are integral but may lie outside the level range (a channel
    /// whose range excludes 0 has z < 0 or z > 2^b − 1, as in the reference
    /// code); beyond ±2^30 none occurs, and export's Int32 arithmetic stays exact.
    static let zeroPointLimit = Float(1 << 30)

    /// Refuses, with one line naming the field, a checkpoint that is not a state
    /// of `graph` quantized in `units`: every layer and activation quantizer of
    /// the graph present once and in order, no other, every array of the length
    /// the weights give, every number in its range. After this, restoring and
    /// exporting the model cannot trap on anything the file says.
    func validate(graph: Graph, units: [ReconstructionUnit]) throws(CheckpointStore.Failure) {
        do {
            try validateCounts(units: units)
            try validateLayers(graph: graph)
            try validateActivations(graph: graph)
            try validateResults(units: units)
        } catch {
            throw CheckpointStore.Failure(description: "checkpoint.json \(error)")
        }
    }

    private func validateCounts(units: [ReconstructionUnit]) throws(UntrustedSizeError) {
        if let e = configuration.validationError() { throw UntrustedSizeError(what: "configuration", reason: e) }
        _ = try CheckedSize.count(unitsDone, "unitsDone", limit: units.count)
        _ = try CheckedSize.count(eventCount, "eventCount")
        try Self.validateDuration(elapsed, "elapsed")
    }

    private func validateLayers(graph: Graph) throws(UntrustedSizeError) {
        let parametric = graph.nodes.filter(\.operation.isParametric)
        let names = parametric.map(\.name)
        let known = Set(names)
        let present = Set(model.layers.map(\.layer))
        if let missing = names.first(where: { !present.contains($0) }) {
            throw UntrustedSizeError(what: "model.layers", reason: "layer '\(missing)' of the model is missing")
        }
        if let unknown = model.layers.first(where: { !known.contains($0.layer) }) {
            throw UntrustedSizeError(what: "model.layers", reason: "'\(TerminalText.sanitized(unknown.layer))' is not a conv or linear layer of the model")
        }
        guard model.layers.map(\.layer) == names else {
            throw UntrustedSizeError(what: "model.layers", reason: "\(model.layers.count) layers, expected the model's \(names.count) once each in graph order")
        }
        for (layer, node) in zip(model.layers, parametric) {
            try Self.validate(layer, weightShape: Self.weightShape(of: node))
        }
        for name in lockedLayers where !known.contains(name) {
            throw UntrustedSizeError(what: "lockedLayers", reason: "'\(TerminalText.sanitized(name))' is not a conv or linear layer of the model")
        }
        for name in configuration.layerBits.keys.sorted() where !known.contains(name) {
            throw UntrustedSizeError(what: "configuration.layerBits", reason: "'\(TerminalText.sanitized(name))' is not a conv or linear layer of the model")
        }
    }

    private static func validate(_ layer: LayerQuantization, weightShape: [Int]) throws(UntrustedSizeError) {
        let what = "layer \(layer.layer)"
        let grid = layer.grid
        let bits = try CheckedSize.integer(grid.bits, "\(what) bits", in: BitWidth.range)
        let channels = weightShape.first ?? 0
        let weights = weightShape.reduce(1, *)
        guard grid.scales.count == channels else {
            throw UntrustedSizeError(what: "\(what) scales", reason: "\(grid.scales.count) scales for \(channels) output channels")
        }
        guard grid.zeroPoints.count == channels else {
            throw UntrustedSizeError(what: "\(what) zeroPoints", reason: "\(grid.zeroPoints.count) zero points for \(channels) scales")
        }
        guard layer.levels.count == weights else {
            throw UntrustedSizeError(what: "\(what) levels", reason: "\(layer.levels.count) levels for \(weights) weights")
        }
        for (c, scale) in grid.scales.enumerated() where !(scale.isFinite && scale > 0) {
            throw UntrustedSizeError(what: "\(what) scales", reason: "scale \(scale) of channel \(c) is not a finite number > 0")
        }
        for (c, z) in grid.zeroPoints.enumerated() {
            try validateZeroPoint(z, "\(what) zeroPoints", channel: c)
        }
        let top = Int32((1 << bits) - 1)
        if let i = layer.levels.firstIndex(where: { !(0...top).contains($0) }) {
            throw UntrustedSizeError(what: "\(what) levels", reason: "level \(layer.levels[i]) at \(i) is outside 0…\(top) (\(bits) bits)")
        }
    }

    private static func weightShape(of node: Node) -> [Int] {
        switch node.operation {
        case .convolution(let p): return p.weight.shape
        case .linear(let p): return p.weight.shape
        default: return []
        }
    }

    private static func validateZeroPoint(_ z: Float, _ what: String, channel c: Int) throws(UntrustedSizeError) {
        guard z.isFinite, z == z.rounded(), abs(z) <= zeroPointLimit else {
            throw UntrustedSizeError(what: what, reason: "zero point \(z) of channel \(c) is not an integer within ±2^30")
        }
    }

    private func validateActivations(graph: Graph) throws(UntrustedSizeError) {
        let expected = ActivationPlacement.place(graph: graph, units: graph.blockUnits(), activationBits: configuration.abits)
        guard model.activations.map(\.tensor) == expected.map(\.tensor) else {
            let missing = Set(expected.map(\.tensor)).subtracting(model.activations.map(\.tensor)).sorted().first
            throw UntrustedSizeError(what: "model.activations", reason: missing.map { "the quantizer on tensor '\($0)' is missing" }
                                     ?? "\(model.activations.count) quantizers, expected the model's \(expected.count) in graph order")
        }
        for (a, e) in zip(model.activations, expected) {
            let what = "activation \(a.tensor)"
            guard a.readers == e.readers, a.role == e.role else {
                throw UntrustedSizeError(what: what, reason: "readers or role differ from the model's")
            }
            if let problem = BitWidth.problem(a.bits, for: .activations) {
                throw UntrustedSizeError(what: "\(what) bits", reason: problem)
            }
            guard let q = a.quantizer else { continue }
            _ = try CheckedSize.integer(q.bits, "\(what) quantizer bits", in: BitWidth.range)
            guard q.step.isFinite, q.step > 0 else {
                throw UntrustedSizeError(what: "\(what) step", reason: "\(q.step) is not a finite number > 0")
            }
            try Self.validateZeroPoint(q.zeroPoint, "\(what) zeroPoint", channel: 0)
        }
    }

    /// Results and metrics are shown and summarised, so they are held to what a run can produce.
    private func validateResults(units: [ReconstructionUnit]) throws(UntrustedSizeError) {
        guard unitResults.count == unitsDone else {
            throw UntrustedSizeError(what: "unitResults", reason: "\(unitResults.count) results for \(unitsDone) units done")
        }
        for (k, result) in unitResults.enumerated() {
            guard result.unit == k, result.name == units[k].name else {
                throw UntrustedSizeError(what: "unitResults[\(k)]", reason: "names unit \(result.unit) '\(TerminalText.sanitized(result.name))', expected \(k) '\(units[k].name)'")
            }
            for (field, loss) in [("lossBefore", result.lossBefore), ("lossAfter", result.lossAfter)] where !(loss.isFinite && loss >= 0) {
                throw UntrustedSizeError(what: "unitResults[\(k)].\(field)", reason: "\(loss) is not a loss")
            }
            try Self.validateDuration(result.seconds, "unitResults[\(k)].seconds")
        }
        if let fp = fpMetrics {
            _ = try CheckedSize.count(fp.images, "fpMetrics.images")
            for (field, value) in [("top1", fp.top1), ("top5", fp.top5)] where !(0...100).contains(value) {
                throw UntrustedSizeError(what: "fpMetrics.\(field)", reason: "\(value) is not a percentage")
            }
            if let kl = fp.kl, !(kl.isFinite && kl >= 0) { throw UntrustedSizeError(what: "fpMetrics.kl", reason: "\(kl) is not a divergence") }
        }
    }

    /// Seconds: finite, not negative, and less than a century (they are shown as whole seconds).
    private static func validateDuration(_ seconds: Double, _ what: String) throws(UntrustedSizeError) {
        guard seconds.isFinite, (0...3e9).contains(seconds) else {
            throw UntrustedSizeError(what: what, reason: "\(seconds) is not a duration in seconds")
        }
    }
}
