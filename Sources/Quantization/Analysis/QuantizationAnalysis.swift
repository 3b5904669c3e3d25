import Network
import Tensor

/// Where a quantized model's error comes from, layer by layer: the error
/// accumulated at each layer's output, each layer's isolated effect at the
/// network's output, and how its weights and input activations sit on their
/// grids. Synchronous and deterministic: the same model and images give the
/// same report (there is no randomness past the choice of images).
///
/// Cost per batch: the FP and the quantized network block by block (each
/// layer's output is re-run from its block's input, as the executor keeps no
/// intermediates), then for each layer up to three runs from its block's FP
/// input to the output (weights, activations — once per quantized tensor —
/// and both).
public enum QuantizationAnalysis {
    /// `knownIsolated`: isolated errors already measured on the same images for
    /// layers whose weights and input quantizer have not changed since (a live
    /// run's finished units); they are reported as given, not measured again.
    public static func analyze(graph: Graph, model: QuantizedModel, images: Tensor, labels: [Int]? = nil,
                               settings: AnalysisSettings = AnalysisSettings(),
                               knownIsolated: [String: IsolatedErrors] = [:],
                               progress: (AnalysisProgress) -> Void = { _ in }) -> AnalysisReport {
        precondition(labels == nil || labels!.count == images.shape[0], "labels do not match the images")
        let tap = LayerOutputTap(graph: graph)
        let plan = AnalysisPlan(graph: graph, model: model, blocks: tap.blocks, settings: settings)
        var accumulated = [String: AccumulatedErrorSums]()
        var activationSums = [String: QuantizerStatisticsSums]()
        var isolatedWeights = [String: OutputDivergenceSums](), isolatedBoth = [String: OutputDivergenceSums]()
        var isolatedActivations = [String: OutputDivergenceSums]()
        var whole = OutputDivergenceSums(), fpAgainstLabels = OutputDivergenceSums()

        let n = images.shape[0], batch = max(settings.batchSize, 1)
        let batches = (n + batch - 1) / batch
        let measured = plan.layers.filter { knownIsolated[$0.name] == nil }
        let isolatedRuns = settings.measuresIsolated ? measured.count : 0
        let total = batches * (tap.blocks.count + isolatedRuns)
        var done = 0
        func step() { done += 1; progress(AnalysisProgress(done: done, total: total)) }

        for start in stride(from: 0, to: n, by: batch) {
            let rows = start..<min(n, start + batch)
            let input = Self.rows(of: images, rows)
            let batchLabels = labels.map { $0[rows] }
            var fp = input, quantized = input
            var fpInputs: [Tensor] = []
            for b in tap.blocks.indices {
                fpInputs.append(fp)
                for layer in plan.layers where layer.block == b {
                    let f = tap.value(of: layer.output, inBlock: b, input: fp, parts: .none)
                    let q = tap.value(of: layer.output, inBlock: b, input: quantized, parts: plan.whole)
                    accumulated[layer.name, default: AccumulatedErrorSums()].add(quantized: q.data, fp: f.data)
                }
                for a in plan.activations where a.block == b {
                    let values = a.tensor == tap.blocks[b].input ? fp : tap.value(of: a.tensor, inBlock: b, input: fp, parts: .none)
                    activationSums[a.tensor, default: QuantizerStatisticsSums(maxLevel: Int(a.quantizer.maxLevel), bins: settings.histogramBins)]
                        .add(values.data, step: Double(a.quantizer.step), zeroPoint: Double(a.quantizer.zeroPoint))
                }
                fp = tap.output(ofBlock: b, input: fp, parts: .none)
                quantized = tap.output(ofBlock: b, input: quantized, parts: plan.whole)
                step()
            }
            whole.add(fp: fp, quantized: quantized, labels: batchLabels)
            fpAgainstLabels.add(fp: fp, quantized: fp, labels: batchLabels)
            guard settings.measuresIsolated else { continue }
            for layer in measured {
                let b = layer.block
                func measure(weights: Bool, activation: AnalysisPlan.Activation?) -> Tensor {
                    var parts = QuantizedParts()
                    if weights { parts.weights[layer.name] = plan.whole.weights[layer.name] }
                    var start = fpInputs[b]
                    if let activation {
                        if activation.tensor == tap.blocks[b].input {
                            start = Tensor(shape: start.shape, data: activation.quantizer.forward(start.data))
                        } else {
                            parts.activations[activation.tensor] = activation.quantizer
                        }
                    }
                    return tap.logits(fromBlock: b, input: start, parts: parts)
                }
                isolatedWeights[layer.name, default: OutputDivergenceSums()].add(fp: fp, quantized: measure(weights: true, activation: nil))
                if let a = layer.activation {
                    if isolatedActivations[a.tensor]?.images ?? 0 < rows.upperBound {
                        isolatedActivations[a.tensor, default: OutputDivergenceSums()].add(fp: fp, quantized: measure(weights: false, activation: a))
                    }
                    isolatedBoth[layer.name, default: OutputDivergenceSums()].add(fp: fp, quantized: measure(weights: true, activation: a))
                }
                step()
            }
        }

        let layers = plan.layers.map { layer -> LayerAnalysis in
            let quantization = model.layer(named: layer.name)!
            let weight = QuantizedModel.weight(of: graph.node(named: layer.name)!)
            var isolated: IsolatedErrors?
            if settings.measuresIsolated, let known = knownIsolated[layer.name] {
                isolated = known
            } else if settings.measuresIsolated, let w = isolatedWeights[layer.name] {
                let activations = layer.activation.flatMap { isolatedActivations[$0.tensor]?.result }
                isolated = IsolatedErrors(weights: w.result, activations: activations,
                                          both: isolatedBoth[layer.name]?.result ?? w.result)
            }
            return LayerAnalysis(
                layer: layer.name, block: layer.block, blockName: tap.blocks[layer.block].name,
                weightBits: quantization.bits, activationBits: model.inputActivationBits(ofLayer: layer.name),
                accumulated: accumulated[layer.name]?.result ?? AccumulatedError(noiseToSignalDecibels: -AccumulatedError.limitDB, cosine: 1, mse: 0),
                isolated: isolated,
                weightStatistics: .weights(weight.data, grid: quantization.grid, bins: settings.histogramBins),
                activationStatistics: layer.activation.flatMap { a in activationSums[a.tensor]?.result(bits: a.quantizer.bits, step: Double(a.quantizer.step)) })
        }
        return AnalysisReport(images: n, layers: layers, output: whole.result,
                              fpAccuracy: labels == nil ? nil : fpAgainstLabels.accuracy,
                              quantizedAccuracy: labels == nil ? nil : whole.accuracy)
    }

    static func rows(of data: Tensor, _ range: Range<Int>) -> Tensor {
        let per = data.count / max(data.shape[0], 1)
        return Tensor(shape: [range.count] + Array(data.shape.dropFirst()),
                      data: Array(data.data[range.lowerBound * per..<range.upperBound * per]))
    }
}
