import Foundation
import Network
import Tensor

/// Reconstructs one unit in one phase, one iteration per `step()`, so an
/// engine can apply commands (pause, new iteration count, skip, restart)
/// between iterations.
///
/// Each iteration samples a batch (distinct examples) of cached unit inputs
/// from the quantized model and FP targets, runs the unit with soft-rounded
/// weights (and activation quantizers, per phase), and takes one Adam step on
/// AdaRound's α (lr 1e-3) and/or the activation steps (lr 4e-4, cosine to 0).
/// `finish()` hard-rounds and commits into the session's model; `skip()`
/// commits round-to-nearest weights and the calibrated steps.
public final class UnitReconstructor {
    public let unit: ReconstructionUnit
    public let phase: UnitPhase
    public let hyperparameters: Hyperparameters
    /// Iterations done.
    public private(set) var iteration = 0
    /// Total iterations; may be changed between steps (the β schedule follows).
    /// Lowering it to ≤ `iteration` makes `isComplete` true.
    public var iterations: Int {
        didSet { iterations = max(1, iterations); regularizer.totalIterations = iterations }
    }
    /// Loss over all calibration examples with the starting weights and steps
    /// (round-to-nearest, freshly calibrated activations).
    public private(set) var lossBefore: Double = 0
    /// The output's signal-to-noise ratio in dB with the starting weights and
    /// steps, and after `finish()`/`skip()` with the committed ones (see
    /// `signalToNoise(signal:noise:)`); nil when the error is exactly zero.
    public private(set) var signalToNoiseBefore: Double?
    public private(set) var signalToNoiseAfter: Double?
    /// The generator for batches and QDrop masks; its state belongs in a checkpoint.
    public private(set) var random: Xoshiro256StarStar
    public private(set) var isFinished = false

    private let session: QuantizationSession
    private let range: Range<Int>
    /// The batch's slices, run side by side each iteration (see `ReconstructionShard`).
    private let shards: [ReconstructionShard]
    /// Slices each batch is split into.
    var sliceCount: Int { shards.count }
    /// The first slice's executor, which also runs the whole-set losses.
    private var executor: GraphExecutor { shards[0].executor }
    private var data: QuantizationSession.UnitData
    private var fisher: ActivationCache?
    private var regularizer: RoundingRegularizer
    private let p: Float

    /// A class so that its α, Adam moments and gradient buffer can be mutated
    /// in one call without copying (they are distinct stored properties).
    private final class TrainedLayer {
        /// Graph node index.
        let node: Int
        var quantizer: AdaRoundQuantizer
        var adam: Adam
        var alphaGradient: [Float]
        /// The slices' weight gradients added up (unused with one slice).
        var weightGradient: [Float] = []
        let weightShape: [Int]
        init(node: Int, quantizer: AdaRoundQuantizer, adam: Adam, alphaGradient: [Float], weightShape: [Int]) {
            self.node = node; self.quantizer = quantizer; self.adam = adam
            self.alphaGradient = alphaGradient; self.weightShape = weightShape
        }
    }
    private var layers: [TrainedLayer] = []
    /// Activation quantizers in the unit: graph node index, tensor name and the quantizer
    /// (its step is `stepValues[k]` while training).
    private var steps: [(node: Int, tensor: String, quantizer: LearnedStepActivationQuantizer)] = []
    /// QDrop probability of this phase (0 outside the joint phase).
    private let dropProbability: Float
    private var stepValues: [Float] = []
    private var stepAdam: Adam
    private var batchIndices: [Int] = []
    private let batchSize: Int

    init(session: QuantizationSession, unit: ReconstructionUnit, range: Range<Int>, phase: UnitPhase, hyperparameters: Hyperparameters,
         iterations: Int, data: QuantizationSession.UnitData, random: Xoshiro256StarStar, slices: Int? = nil) {
        self.session = session
        self.unit = unit
        self.range = range
        self.phase = phase
        self.hyperparameters = hyperparameters
        self.iterations = max(1, iterations)
        self.random = random
        self.data = data
        self.regularizer = RoundingRegularizer(hyperparameters, totalIterations: max(1, iterations))
        self.p = Float(phase == .activations ? hyperparameters.activationP : hyperparameters.p)
        self.stepAdam = Adam(learningRate: Float(hyperparameters.activationLearningRate))
        self.batchSize = min(hyperparameters.batchSize, data.inputs.rows)
        self.dropProbability = phase == .joint ? Float(hyperparameters.qdrop) : 0
        let graph = session.graph

        // Activation quantizers of the unit: calibrated now from the unit's inputs
        // (with the committed weights) when this phase uses them.
        let usesActivations = phase != .weights
        if usesActivations {
            session.calibrateActivations(nodes: range, input: data.inputName, inputs: data.inputs, onlyMissing: false)
        }
        let executors = (0..<(slices ?? ReconstructionShard.count(batchSize: min(hyperparameters.batchSize, data.inputs.rows)))).map { _ in
            session.makeExecutor(nodes: range, input: data.inputName, quantized: true, retains: true)
        }
        for i in range {
            let tensor = graph.nodes[i].output
            if usesActivations, let installed = executors[0].activationQuantizer(ofNode: i) {
                let quantizer = installed.quantizer as! LearnedStepActivationQuantizer
                steps.append((i, tensor, quantizer))
                stepValues.append(quantizer.step)
            } else if !usesActivations {
                // The weights phase reconstructs without the unit's own activation
                // quantizers, as the reference's first pass (act_quant=False).
                for executor in executors { executor.setActivationQuantizer(nil, ofNode: i) }
            }
        }
        if phase != .activations {
            for i in range where graph.nodes[i].operation.isParametric {
                let node = graph.nodes[i]
                let weight = QuantizedModel.weight(of: node)
                let grid = session.model.layer(named: node.name)!.grid
                for executor in executors { executor.setTrainsWeight(true, ofNode: i) }
                layers.append(TrainedLayer(node: i, quantizer: AdaRoundQuantizer(weights: weight.data, grid: grid),
                                           adam: Adam(learningRate: Float(hyperparameters.learningRate)),
                                           alphaGradient: [Float](repeating: 0, count: weight.count), weightShape: weight.shape))
            }
        }
        self.shards = executors.map(ReconstructionShard.init(executor:))
        writeSteps()
        if hyperparameters.loss == .fisher && phase != .activations {
            fisher = FisherWeights.compute(session: session, unitRange: range, inputName: data.inputName,
                                           inputs: data.inputs, withActivations: phase == .joint)
        }
        (lossBefore, signalToNoiseBefore) = fullLoss()
    }

    /// 10·log10(E[y²] / E[(ŷ − y)²]): the unit's output error relative to the
    /// FP output's energy. Unlike the reconstruction loss it does not grow with
    /// the size of the activations, so units can be compared with each other.
    /// Nil when there is no error (or no signal) to compare.
    public static func signalToNoise(signal: Double, noise: Double) -> Double? {
        guard signal > 0, noise > 0, signal.isFinite, noise.isFinite else { return nil }
        return 10 * log10(signal / noise)
    }

    public var isComplete: Bool { iteration >= iterations }
    /// Iterations with the regulariser off.
    public var warmupIterations: Int { phase == .activations ? 0 : regularizer.warmupIterations }

    /// Learning rate of the activation steps at 1-based iteration t: PyTorch's
    /// CosineAnnealingLR(T_max = iterations, η_min = 0) stepped after each iteration.
    func activationLearningRate(iteration t: Int) -> Float {
        let lr0 = hyperparameters.activationLearningRate
        return Float(lr0 * (1 + cos(Double.pi * Double(t - 1) / Double(iterations))) / 2)
    }

    /// One optimisation step on a fresh random batch.
    public func step() -> StepStats {
        precondition(!isFinished, "unit \(unit.name) is already finished")
        iteration += 1
        let t = iteration
        writeSteps()
        let n = data.inputs.rows
        batchIndices = random.sample(batchSize, from: n)
        for (k, shard) in shards.enumerated() {
            shard.rows = Array(ReconstructionShard.rows(of: batchIndices, slice: k, of: shards.count))
            // Only QDrop draws in the forward pass; without it the unit's stream is the batches alone.
            if dropProbability > 0 { shard.random = Xoshiro256StarStar(seed: random.next()) }
        }
        let channels = data.targets.rowShape.first ?? 1
        let positions = batchIndices.count * (data.targets.elementsPerRow / channels)
        let (inputs, targets, fisher, p) = (data.inputs, data.targets, self.fisher, self.p)
        parallelChunks(shards.count, work: .max, maxChunks: shards.count) { _, slices in
            for k in slices {
                writeSoftWeights(into: shards[k].executor)
                shards[k].run(inputs: inputs, targets: targets, fisher: fisher, p: p, channels: channels, positions: positions)
            }
        }
        let loss = shards.reduce(0) { $0 + $1.loss }

        var regularizerLoss: Float = 0
        let beta = phase == .activations ? nil : regularizer.beta(iteration: t)
        let lambda = regularizer.weight
        for layer in layers {
            withWeightGradient(of: layer) { dw in
                layer.alphaGradient.withUnsafeMutableBufferPointer { da in
                    regularizerLoss += layer.quantizer.backward(weightGradient: dw, regularizerWeight: lambda, beta: beta, alphaGradient: da)
                }
            }
            layer.adam.update(&layer.quantizer.alpha, gradients: layer.alphaGradient)
        }
        var lr: Float = 0
        if !steps.isEmpty {
            lr = activationLearningRate(iteration: t)
            let gradients = steps.map { s in shards.reduce(Float(0)) { $0 + $1.executor.stepGradient(ofNode: s.node) } }
            stepAdam.update(&stepValues, gradients: gradients, learningRate: lr)
            for k in stepValues.indices { stepValues[k] = max(stepValues[k], UniformAffineQuantizer.minimumScale) }
        }
        return StepStats(phase: phase, iteration: t, iterations: iterations, reconstructionLoss: loss,
                         regularizerLoss: Double(regularizerLoss), beta: Double(beta ?? 0), activationLearningRate: Double(lr))
    }

    /// Hard-rounds (α ≥ 0 → up), commits weights and steps into the model and
    /// returns the loss over all calibration examples with them.
    @discardableResult
    public func finish() -> Double {
        precondition(!isFinished)
        for layer in layers {
            let name = session.graph.nodes[layer.node].name
            session.commit(layer: LayerQuantization(layer: name, grid: layer.quantizer.grid,
                                                    levels: layer.quantizer.hardLevels(), rounding: .adaround))
        }
        commitSteps()
        isFinished = true
        let (loss, snr) = fullLoss()
        signalToNoiseAfter = snr
        return loss
    }

    /// The loss over every calibration example if the weights were hard-rounded
    /// now (α ≥ 0 → up) with the current steps, no QDrop: what `finish()`
    /// would report at this iteration. Costs a forward pass over the
    /// calibration set; does not touch the batch generator.
    public func hardLoss() -> Double {
        precondition(!isFinished)
        return fullLoss().loss
    }

    /// Keeps round-to-nearest weights (and the calibrated, unlearned steps);
    /// returns the loss with them, which equals `lossBefore`.
    @discardableResult
    public func skip() -> Double {
        precondition(!isFinished)
        for layer in layers {
            let name = session.graph.nodes[layer.node].name
            var committed = session.model.layer(named: name)!
            committed.rounding = .nearest
            session.commit(layer: committed)
        }
        isFinished = true
        signalToNoiseAfter = signalToNoiseBefore
        return lossBefore
    }

    /// Per layer whose rounding is learned in this phase (none in the
    /// activations phase): its flips against round-to-nearest and the spread
    /// of h(α) now (see `AdaRoundQuantizer.statistics`).
    public func roundingStatistics() -> [LayerRoundingStatistics] {
        layers.map { layer in
            let node = session.graph.nodes[layer.node]
            return layer.quantizer.statistics(layer: node.name, weights: QuantizedModel.weight(of: node).data)
        }
    }

    // MARK: Internals

    private func writeSoftWeights(into executor: GraphExecutor) {
        for layer in layers {
            executor.updateWeight(ofNode: layer.node) { w in
                w.data.withUnsafeMutableBufferPointer { layer.quantizer.softWeights(into: $0) }
            }
        }
    }

    /// The layer's weight gradient over the whole batch: the one slice's, or the slices' added in slice order.
    private func withWeightGradient(of layer: TrainedLayer, _ body: (UnsafeBufferPointer<Float>) -> Void) {
        if shards.count == 1 {
            executor.weightGradient(ofNode: layer.node).data.withUnsafeBufferPointer(body)
            return
        }
        let gradients = shards.map { $0.executor.weightGradient(ofNode: layer.node) }
        let count = gradients[0].count
        guard count > 0 else { body(UnsafeBufferPointer(start: nil, count: 0)); return }  // no buffer to point at
        if layer.weightGradient.count != count { layer.weightGradient = [Float](repeating: 0, count: count) }
        layer.weightGradient.withUnsafeMutableBufferPointer { sum in
            let total = sum.baseAddress!
            parallelChunks(count, work: count * gradients.count) { _, range in
                for (k, g) in gradients.enumerated() {
                    g.data.withUnsafeBufferPointer { g in
                        let to = total, from = g.baseAddress!
                        if k == 0 { (to + range.lowerBound).update(from: from + range.lowerBound, count: range.count) }
                        else { for i in range { to[i] += from[i] } }
                    }
                }
            }
        }
        layer.weightGradient.withUnsafeBufferPointer(body)
    }

    /// Puts the current steps into the executors, with QDrop at `drop` (the phase's by default).
    private func writeSteps(drop: Float? = nil) {
        for (k, s) in steps.enumerated() {
            var quantizer = s.quantizer
            quantizer.step = stepValues[k]
            let slot = ActivationQuantizerSlot(quantizer, dropProbability: drop ?? dropProbability, learnsStep: true)
            for shard in shards { shard.executor.setActivationQuantizer(slot, ofNode: s.node) }
        }
    }

    private func commitSteps() {
        for (k, s) in steps.enumerated() {
            var q = s.quantizer
            q.step = stepValues[k]
            session.commit(activation: s.tensor, quantizer: q)
        }
    }

    private func gather(_ source: ActivationCache, rows: [Int]) {
        executor.setInput(batch: rows.count) { source.gatherRows(rows, into: $0) }
    }

    private var targetBatch: [Float] = []
    private var fisherBatch: [Float] = []

    private func withBatch(of source: ActivationCache, _ body: (UnsafeBufferPointer<Float>) -> Void) {
        source.gatherRows(batchIndices, into: &targetBatch)
        targetBatch.withUnsafeBufferPointer(body)
    }

    private func withOptionalBatch(of source: ActivationCache?, _ body: (UnsafeBufferPointer<Float>?) -> Void) {
        guard let source else { body(nil); return }
        source.gatherRows(batchIndices, into: &fisherBatch)
        fisherBatch.withUnsafeBufferPointer { body($0) }
    }


    /// Reconstruction loss over every calibration example with hard weights
    /// (the committed/rounded ones, or α's hard rounding) and no QDrop, and
    /// the output's plain signal-to-noise ratio from the same pass.
    private func fullLoss() -> (loss: Double, signalToNoise: Double?) {
        for layer in layers {
            let levels = isFinished ? session.model.layer(named: session.graph.nodes[layer.node].name)!.levels
                                    : layer.quantizer.hardLevels()
            executor.setWeight(LayerQuantization(layer: "", grid: layer.quantizer.grid, levels: levels, rounding: .adaround)
                .dequantized(shape: layer.weightShape), ofNode: layer.node)
        }
        writeSteps(drop: 0)
        defer { writeSteps() }

        let n = data.inputs.rows
        let channels = data.targets.rowShape.first ?? 1
        var total: Double = 0
        var signal: Double = 0, noise: Double = 0
        var start = 0
        var scratch = Random.unused
        while start < n {
            let rows = Array(start..<min(n, start + batchSize))
            gather(data.inputs, rows: rows)
            executor.forward(random: &scratch)
            batchIndices = rows
            let output = executor.output
            withBatch(of: data.targets) { target in
                withOptionalBatch(of: fisher) { g in
                    output.data.withUnsafeBufferPointer { y in
                        total += ReconstructionLoss.evaluate(prediction: y, target: target, fisher: g, p: p,
                                                             channels: channels, gradient: nil) * Double(rows.count)
                        for k in 0..<target.count {
                            let t = Double(target[k]), e = Double(y[k]) - t
                            signal += t * t
                            noise += e * e
                        }
                    }
                }
            }
            start += rows.count
        }
        return (total / Double(n), Self.signalToNoise(signal: signal, noise: noise))
    }
}

enum Random {
    /// A generator for forward passes that draw nothing (no QDrop).
    static var unused: Xoshiro256StarStar { Xoshiro256StarStar(seed: 0) }
}
