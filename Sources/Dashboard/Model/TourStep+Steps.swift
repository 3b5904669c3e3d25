import Engine

extension TourStep {
    /// The tour, in order. Written for the bundled recording (Examples/tour/run.jsonl:
    /// the ResNet example, BRECQ at W2A4, 11 units: stem, nine residual blocks, classifier)
    /// but true of any BRECQ run. Each text is two to five lines of the overlay; the panel's
    /// full explanation is `t` (TeachingText), which the steps point to rather than repeat.
    public static let steps: [TourStep] = [
        TourStep(
            focus: .units, position: .unitNumber(4),
            title: "The header: what is running",
            text: "The top line names the method (brecq: block-wise reconstruction), the bits (W2A4: 2-bit weights, 4-bit activations), the reconstruction unit (block) and the state: a replay, paused, of a run that was RUNNING here. The second line is the position in the recording and the unit running: unit 4, after three units are done. Once measured, top-1 accuracy of the full-precision (FP) and quantized model follows."),
        TourStep(
            focus: .units,
            title: "Units: one block at a time",
            text: "BRECQ reconstructs the network unit by unit, front to back: the stem (first conv, kept at 8 bits, not reconstructed), each residual block, then the classifier at 8-bit weights. Each row shows the unit's loss before (round to nearest) and after reconstruction, and the SNR of its output in dB: higher is better. d draws a block's diagram."),
        TourStep(
            focus: .loss, selectUnit: 2, boxAtTop: true,
            title: "Loss chart: reconstruction vs regulariser",
            text: "For the selected unit (block 2): the bright line is the reconstruction loss, how far the block's output is from the FP block's. The rounding regulariser, λ times the sum of 1 - |2h - 1|^β over the weights, is off for the first 20 % of iterations (the warm-up marker), then pushes every weight to round up or down while β anneals from 20 to 2. After the weights come the activation steps ('acts')."),
        TourStep(
            focus: .loss, selectUnit: 2, boxAtTop: true,
            title: "Rounding strip: what AdaRound changes",
            text: "Under the chart, one row per layer: 'flips' is the share of weights now rounded to the other grid point than round-to-nearest. The ten cells are the histogram of the soft rounding h(α) from 0 to 1; as β anneals it piles up at 0 and 1 and 'undec' (0.1 < h < 0.9) falls. This demo ran 200 iterations per unit, not 20 000, so many are still undecided; the final rounding decides them (up where h ≥ 0.5)."),
        TourStep(
            focus: .bits,
            title: "Bit widths per layer",
            text: "Each layer's weight bits (W) and the bits of the activation it reads (A): the blocks' convs at W2 reading 4-bit activations (the first reads the stem's 8-bit output), the stem and the classifier at 8-bit weights; the image itself is not quantized (fp). The totals compare the model's size with the 32-bit original."),
        TourStep(
            focus: .analysis, position: .fraction(1),
            title: "Analysis: where the error comes from",
            text: "The recording is now at its end. Accumulated error compares each layer's output in the quantized network with the FP one (grows with depth); isolated error quantizes one layer alone and measures how far the predictions move. High isolated error: give that layer more bits. Reached with a; t explains every column."),
        TourStep(
            focus: .search,
            title: "Search: mixed precision",
            text: "This run used one bit width for all blocks, so the panel is empty. With --mixed, `brecq search` or m in a live run, the engine measures each layer's sensitivity (Fisher-weighted output error) and a genetic search picks per-layer bits that fit a budget (size, bit operations or latency)."),
        TourStep(
            focus: .log,
            title: "Log",
            text: "What the engine reported, with the session time: units finished with their losses, top-1 evaluations, checkpoints written after every unit (a stopped run resumes from one), warnings and errors. j/k scroll back."),
        TourStep(
            focus: .units,
            title: "Replay controls",
            text: "A recording plays like a lecture: space pauses and plays, + and - change the speed, [ and ] go to the previous or next unit, < and > by a tenth of the run, g to a unit by number, . steps one logged iteration, B sets a bookmark and ' jumps between them. ? lists every key."),
        TourStep(
            focus: .units,
            title: "Your own run",
            text: "`brecq tui` quantizes the bundled ResNet example with this dashboard live: pause, change iterations or hyperparameters, lock layers' bits. `brecq quantize --events run.jsonl` records a run headless; `brecq replay run.jsonl` plays it back. Esc leaves the tour; the replay stays open."),
    ]
}
