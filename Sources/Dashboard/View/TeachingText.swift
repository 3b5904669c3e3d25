/// Plain sentences for a class: what each panel shows and why it matters.
enum TeachingText {
    static func text(for panel: Panel) -> String {
        switch panel {
        case .units:
            "Post-training quantization rounds a trained network's weights to few bits using only a little calibration data. BRECQ does it one block at a time: it tunes the rounding of a block's weights so the block's output matches the full-precision block's output. Each row shows a block's loss before (plain rounding) and after that tuning."
        case .loss:
            "The bright line is the reconstruction loss: how far this block's quantized output is from the original. The second line is the rounding regulariser, switched on after the warm-up marker; it pushes every weight to decide to round up or down, so it falls towards zero. A block whose loss stays high has too few bits for what it computes, and is where accuracy is lost."
        case .bits:
            "Each layer stores its weights with W bits and reads activations with A bits; fewer bits mean a smaller, faster model but coarser numbers. Locking a sensitive layer at more bits keeps the search from squeezing it. The totals compare the quantized model's size with the 32-bit original."
        case .search:
            "The genetic search tries many mixes of bit widths per layer, keeps the ones that lose least accuracy within the size budget, and breeds new candidates from them. The best line is the least loss found so far, the mean line the whole population's. Feasible counts the candidates that fit the budget."
        case .log:
            "The log lists what the engine reported, with the session time: units finishing, evaluations of top-1 accuracy, checkpoints written after every unit, and any warnings or errors. A checkpoint lets the run resume where it stopped."
        }
    }
}
