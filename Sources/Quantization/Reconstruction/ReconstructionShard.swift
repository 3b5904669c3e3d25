import Network
import Tensor

/// One fixed slice of every reconstruction batch, with its own executor and
/// buffers, so that the slices of an iteration run at the same time.
///
/// Why: on the small blocks a reconstruction spends most of its time on
/// (ResNet-20's 16–64 channels at 7–28 px), each convolution is a few hundred
/// microseconds of work, and splitting every one of the ~60 loops of an
/// iteration over the cores costs a thread hand-off per loop. Running whole
/// slices of the batch side by side hands off once per iteration; loops inside
/// a slice still split over whatever cores the other slices leave free
/// (libdispatch divides a nested region's width by its nesting).
///
/// The number of slices depends on the batch only, never on the core count,
/// so a run gives the same result on any machine: the weight and step
/// gradients are the slices' sums added in slice order, and each slice draws
/// its QDrop masks from its own generator, seeded from the unit's generator in
/// slice order.
final class ReconstructionShard {
    let executor: GraphExecutor
    /// The batch rows (calibration example indices) this slice runs.
    var rows: [Int] = []
    /// Draws this slice's QDrop masks in the current iteration.
    var random = Xoshiro256StarStar(seed: 0)
    /// The slice's part of the reconstruction loss (already divided by the whole batch's positions).
    var loss: Double = 0
    private var targets: [Float] = []
    private var fisher: [Float] = []

    init(executor: GraphExecutor) { self.executor = executor }

    /// Slices per batch: two halves from 16 examples on (one per core on the
    /// 2-core machines this is tuned on; more cores split the loops inside a
    /// half), else the whole batch.
    static func count(batchSize: Int) -> Int { batchSize >= 16 ? 2 : 1 }

    /// The rows of slice `k` of `count` (consecutive, as even as they divide).
    static func rows(of batch: [Int], slice k: Int, of count: Int) -> ArraySlice<Int> {
        batch[(k * batch.count / count)..<((k + 1) * batch.count / count)]
    }

    /// Runs the slice forward and backward: fills the executor's weight and step gradients and `loss`.
    /// `positions` is N·H·W of the whole batch (the loss is a mean over it).
    func run(inputs: ActivationCache, targets targetCache: ActivationCache, fisher fisherCache: ActivationCache?,
             p: Float, channels: Int, positions: Int) {
        executor.setInput(batch: rows.count) { inputs.gatherRows(rows, into: $0) }
        executor.forward(random: &random)
        targetCache.gatherRows(rows, into: &targets)
        fisherCache?.gatherRows(rows, into: &fisher)
        let output = executor.output
        var loss: Double = 0
        executor.backward(outputGradient: { gradient in
            targets.withUnsafeBufferPointer { target in
                fisher.withUnsafeBufferPointer { g in
                    output.data.withUnsafeBufferPointer { y in
                        loss = ReconstructionLoss.evaluate(prediction: y, target: target, fisher: fisherCache == nil ? nil : g,
                                                           p: p, channels: channels, positions: positions, gradient: gradient)
                    }
                }
            }
        })
        self.loss = loss
    }
}
