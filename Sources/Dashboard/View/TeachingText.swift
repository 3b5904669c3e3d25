import Quantization

/// Plain sentences for a class: what each panel shows and why it matters.
enum TeachingText {
    /// The panel's text, with what this session adds: the budget the search was given.
    static func text(for panel: Panel, state: DashboardState) -> String {
        let base = text(for: panel)
        if panel == .search, let started = state.search?.started {
            return base + " This search: \(SearchPanelView.budgetName(started))."
        }
        if panel == .loss, state.units.indices.contains(state.selectedUnit), state.units[state.selectedUnit].rounding != nil {
            return base + " " + rounding(state.hyperparameters)
        }
        return base
    }

    /// The rounding strip under the loss chart, with this run's β schedule.
    static func rounding(_ h: Hyperparameters) -> String {
        "Under the chart, one row per layer shows what AdaRound does to the rounding. A weight w lies between two grid points, ⌊w/Δ⌋ and ⌊w/Δ⌋ + 1 (Δ the step). AdaRound learns a soft rounding h(α) = clip(σ(α)·(ζ − γ) + γ, 0, 1) with ζ = 1.1, γ = −0.1 and uses ⌊w/Δ⌋ + h; h starts at the fractional part of w/Δ, so the soft weight is the original one, and at the end the weight rounds up where h ≥ ½. 'flips' is the share of the layer's weights whose rounding now goes to the other grid point than rounding to nearest: what AdaRound changes so that the block's output comes out right (the bar is full at 50 %). The ten cells are the histogram of h from 0 to 1. After the warm-up the regulariser λ·Σ(1 − |2h − 1|^β) pushes every h towards 0 or 1: while β is large it is flat except near 0 and 1, so h still moves freely; as β anneals (\(NumberFormat.compact(h.betaStart)) to \(NumberFormat.compact(h.betaEnd)) here) it pulls every h out to an end, the histogram piles up in its first and last cells and 'undec' (0.1 < h < 0.9) falls towards zero: the soft rounding then equals the hard one."
    }

    static func text(for panel: Panel) -> String {
        switch panel {
        case .units:
            "Post-training quantization rounds a trained network's weights to few bits using only a little calibration data. BRECQ does it one block at a time: it tunes the rounding of a block's weights so the block's output matches the full-precision block's output. Each row shows a block's loss before (plain rounding) and after that tuning, and the SNR after it: the signal-to-noise ratio of the block's output in dB, 10·log10 of the full-precision output's mean square over the quantized output's mean squared error. A loss grows with the size of the block's activations, so losses cannot compare blocks; the SNR can (3 dB less is twice the relative error). The block with the lowest SNR is marked as the worst."
        case .loss:
            "The bright line is the soft-rounded loss the optimiser sees on each batch: how far this block's output is from the original while its weights may still sit between two grid points. The dashed 'rtn' line is the loss with plain rounding to nearest, where the block starts; the dashed 'hard' line is the loss over all calibration images if every weight were rounded up or down now, as it will be at the end, where it becomes the row's 'after'. The rounding regulariser, on its own axis from the warm-up marker on, pushes each weight to decide, so it falls towards zero and the soft line meets the hard one. With quantized activations a second stretch follows the 'acts' marker: the activation steps are learned with the weights fixed, measured with the activation quantizers on (and p = 2.4), and there 'rtn' is the row's 'before'. A loss's size depends on how large the block's outputs are: compare blocks by their SNR in the units list. A block with a low SNR is where accuracy is lost and where more bits help most."
        case .bits:
            "Each layer stores its weights with W bits and reads activations with A bits; fewer bits mean a smaller, faster model but coarser numbers. Locking a sensitive layer at more bits keeps the search from squeezing it. The totals compare the quantized model's size with the 32-bit original."
        case .search:
            "First the engine measures sensitivities: how much each layer's weights at each candidate bit width, alone and in pairs inside a block, disturb the block's output on calibration images, and how far that disturbance moves the network's prediction: the Fisher information turns the change of the block's output into an estimate of the KL divergence from the full-precision prediction, so errors of early and late blocks can be compared (with --sensitivity-weighting mse, the plain squared error instead). That is the long part. The genetic search then minimises the sum of these errors over all blocks among the mixes whose cost fits the budget that was given (model size or average weight bits, bit operations, or latency, as the panel's first line says), breeding new mixes from the best. The best line is the lowest summed error found so far, the mean line the population's average; feasible counts this generation's candidates within the budget. A lower error predicts less lost accuracy; the evaluation measures it."
        case .analysis:
            "Accumulated error compares a layer's output in the quantized network with the full-precision one, both fed the same images: everything quantized up to that layer, so it grows with depth. It is a noise-to-signal ratio in dB (−20 dB: the error has 1 % of the output's energy; higher is worse); bars are proportional to that energy. Isolated error quantizes one layer alone (weights, input activations, or both) and measures how far the predictions move: KL from the full-precision softmax, and how many images change their top class. High isolated error: the layer is sensitive itself, give it more bits (b). High accumulated but low isolated: it inherits error, fix earlier layers. The histogram is in grid steps: ticks are the levels, brackets the clipping bounds."
        case .log:
            "The log lists what the engine reported, with the session time: units finishing, evaluations of top-1 accuracy, checkpoints written after every unit, and any warnings or errors. A checkpoint lets the run resume where it stopped."
        }
    }
}
