import Quantization
import Tensor

extension EventFieldValidator {
    /// An analysis read from a recording: counts, bits, histogram axes and
    /// every figure bounded (the dashboard sorts, sums and draws them), names sanitized.
    func analysis(_ p: inout AnalysisUpdate) throws(UntrustedSizeError) {
        try count(p.unitCount, "unit_count", limit: EventFieldLimits.units)
        try int(p.unitsDone, "units_done", 0...p.unitCount)
        try int(p.report.images, "report.images", EventFieldLimits.images)
        try count(p.report.layers.count, "report.layers", limit: EventFieldLimits.layers)
        try divergence(p.report.output, "report.output")
        if let a = p.report.fpAccuracy { try real(a, "report.fp_accuracy", in: 0...1) }
        if let a = p.report.quantizedAccuracy { try real(a, "report.quantized_accuracy", in: 0...1) }
        for i in p.report.layers.indices {
            let field = "report.layers[\(i)]"
            var layer = p.report.layers[i]
            text(&layer.layer); text(&layer.blockName)
            try int(layer.block, "\(field).block", 0...(EventFieldLimits.units - 1))
            try int(layer.weightBits, "\(field).weight_bits", EventFieldLimits.bits)
            try int(layer.activationBits, "\(field).activation_bits", EventFieldLimits.bits)
            let limit = AccumulatedError.limitDB
            try real(layer.accumulated.noiseToSignalDecibels, "\(field).accumulated.noise_to_signal_decibels", in: -limit...limit)
            try real(layer.accumulated.cosine, "\(field).accumulated.cosine", in: -1.001...1.001)
            try real(layer.accumulated.mse, "\(field).accumulated.mse", nonNegative: true)
            if let iso = layer.isolated {
                try divergence(iso.weights, "\(field).isolated.weights")
                if let a = iso.activations { try divergence(a, "\(field).isolated.activations") }
                try divergence(iso.both, "\(field).isolated.both")
            }
            try statistics(layer.weightStatistics, "\(field).weight_statistics")
            if let a = layer.activationStatistics { try statistics(a, "\(field).activation_statistics") }
            p.report.layers[i] = layer
        }
    }

    private func divergence(_ e: IsolatedError, _ field: String) throws(UntrustedSizeError) {
        try real(e.kl, "\(field).kl", nonNegative: true)
        try real(e.top1Changed, "\(field).top1_changed", in: 0...1)
    }

    private func statistics(_ s: QuantizerStatistics, _ field: String) throws(UntrustedSizeError) {
        try int(s.bits, "\(field).bits", EventFieldLimits.bits)
        try real(s.minimum, "\(field).minimum")
        try real(s.maximum, "\(field).maximum")
        try real(s.step, "\(field).step", nonNegative: true)
        try real(s.rangeInSteps, "\(field).range_in_steps", nonNegative: true)
        try real(s.clippedFraction, "\(field).clipped_fraction", in: 0...1)
        let h = s.histogram
        try int(h.maxLevel, "\(field).histogram.max_level", EventFieldLimits.gridLevels)
        try int(h.counts.count, "\(field).histogram.counts", EventFieldLimits.histogramBins)
        try real(h.lower, "\(field).histogram.lower")
        try real(h.upper, "\(field).histogram.upper")
        guard h.upper > h.lower else { throw UntrustedSizeError(what: name("\(field).histogram.upper"), reason: "not above histogram.lower") }
        for (k, c) in h.counts.enumerated() { try int(c, "\(field).histogram.counts[\(k)]", EventFieldLimits.parameters) }
    }
}
