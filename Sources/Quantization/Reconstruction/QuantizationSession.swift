import Network
import Tensor

/// The quantization of one network on one calibration set, driven unit by unit.
///
/// Holds the quantized model's state and two activation streams over the
/// calibration images at the current block boundary: the input of the next
/// block in the *quantized* model (earlier units committed: hard-rounded
/// weights, calibrated activation quantizers) and in the *FP* model. Units are
/// reconstructed front to back; the streams advance lazily, block by block, so
/// only one block's inputs and targets exist at a time (not every unit's).
///
/// Synchronous and deterministic: all randomness comes from the generators
/// handed to `makeReconstructor`. Not thread-safe: one engine thread drives it.
public final class QuantizationSession {
    public let graph: Graph
    /// Block-granularity units: the boundaries the streams move along.
    public let blocks: [ReconstructionUnit]
    public let configuration: QuantizationConfiguration
    public private(set) var model: QuantizedModel
    /// The calibration images, in the caches' precision: where the streams start,
    /// and what a rewound session (`rewound(model:toBlock:)`) starts from again.
    private let images: ActivationCache
    public var calibrationCount: Int { images.rows }
    /// FP logits of the calibration images (the Fisher target).
    let fpLogits: Tensor

    /// Index into `blocks` whose input the streams hold.
    public private(set) var position = 0
    /// Stored in `configuration.cachePrecision`; at position 0 both are the
    /// calibration images (one shared buffer).
    var quantizedStream: ActivationCache
    var fpStream: ActivationCache
    /// Inference batch for propagating streams.
    let chunk = 64

    /// A session from scratch, or resumed from a checkpoint's `model` (the
    /// streams are recomputed up to `resumeAt`, the first block not finished).
    public convenience init(graph: Graph, calibration: Tensor, configuration: QuantizationConfiguration,
                            model: QuantizedModel? = nil, resumeAtBlock resumeAt: Int = 0) {
        let images = ActivationCache(calibration, precision: configuration.cachePrecision)
        let fpLogits = Self.run(GraphExecutor(graph: graph), on: images, chunk: 64, precision: .fp32).tensor()
        self.init(graph: graph, images: images, fpLogits: fpLogits, configuration: configuration, model: model, resumeAtBlock: resumeAt)
    }

    private init(graph: Graph, images: ActivationCache, fpLogits: Tensor, configuration: QuantizationConfiguration,
                 model: QuantizedModel?, resumeAtBlock resumeAt: Int) {
        self.graph = graph
        self.blocks = graph.blockUnits()
        self.configuration = configuration
        self.model = model ?? QuantizedModel.initial(graph: graph, configuration: configuration)
        self.images = images
        self.quantizedStream = images
        self.fpStream = images
        self.fpLogits = fpLogits
        if resumeAt > 0 { advance(toBlock: resumeAt) }
    }

    /// A session on the same images and configuration holding `model`, with its
    /// streams recomputed up to block `block`: going back to a finished unit.
    /// Equal to a session resumed from a checkpoint of `model` at that block.
    public func rewound(model: QuantizedModel, toBlock block: Int) -> QuantizationSession {
        QuantizationSession(graph: graph, images: images, fpLogits: fpLogits, configuration: configuration, model: model, resumeAtBlock: block)
    }

    // MARK: Bits

    /// Sets a layer's weight bits: a fresh L_p grid and round-to-nearest levels.
    public func setWeightBits(layer: String, bits: Int) throws(QuantizationError) {
        if let problem = BitWidth.problem(bits, for: .weights) { throw .invalidBits("weight bits \(problem)") }
        guard let k = model.layerIndex(named: layer), let node = graph.node(named: layer) else { throw .unknownLayer(layer) }
        model.layers[k] = QuantizedModel.roundToNearest(layer: layer, weight: QuantizedModel.weight(of: node), bits: bits)
    }

    /// Sets the bits of the quantizer on a layer's input (shared by all layers
    /// reading the same tensor, e.g. a block's first conv and its shortcut).
    /// The quantizer is recalibrated when its unit is next reconstructed or passed.
    public func setActivationBits(layer: String, bits: Int) throws(QuantizationError) {
        if let problem = BitWidth.problem(bits, for: .activations) { throw .invalidBits("activation bits \(problem)") }
        guard model.layerIndex(named: layer) != nil else { throw .unknownLayer(layer) }
        guard let k = model.activations.firstIndex(where: { $0.readers.contains(layer) }) else { throw .noActivationQuantizer(layer: layer) }
        model.activations[k].bits = bits
        model.activations[k].quantizer = nil
    }

    // MARK: Plan

    /// Phases a unit goes through: weights only (W*A32); weights then
    /// activations (reference); or one joint phase with QDrop.
    public func phases(for unit: ReconstructionUnit, hyperparameters: Hyperparameters) -> [UnitPhase] {
        guard let range = unit.nodeRange else { return [.weights] }
        let quantizesActivations = model.activations.contains { a in
            a.isQuantized && range.contains(where: { graph.nodes[$0].output == a.tensor })
        }
        if !quantizesActivations { return [.weights] }
        return hyperparameters.qdrop > 0 ? [.joint] : [.weights, .activations]
    }

    /// Starts reconstructing `unit` (any granularity) in `phase`. Units must
    /// come front to back; a unit may be started again (restart) while the
    /// streams have not moved past it.
    public func makeReconstructor(unit: ReconstructionUnit, phase: UnitPhase, hyperparameters: Hyperparameters, iterations: Int,
                                  random: Xoshiro256StarStar) throws(QuantizationError) -> UnitReconstructor {
        try makeReconstructor(unit: unit, phase: phase, hyperparameters: hyperparameters, iterations: iterations,
                              random: random, slices: nil)
    }

    /// `slices`: how many `ReconstructionShard`s a batch is split into (tests compare counts; nil: the batch's default).
    func makeReconstructor(unit: ReconstructionUnit, phase: UnitPhase, hyperparameters: Hyperparameters, iterations: Int,
                           random: Xoshiro256StarStar, slices: Int?) throws(QuantizationError) -> UnitReconstructor {
        guard let range = unit.nodeRange else { throw .unitNotContiguous(unit.name) }
        let data = try prepare(unit: unit, range: range)
        return UnitReconstructor(session: self, unit: unit, range: range, phase: phase, hyperparameters: hyperparameters,
                                 iterations: iterations, data: data, random: random, slices: slices)
    }

    /// Moves the streams past every block, calibrating any activation quantizer
    /// not calibrated yet (e.g. of skipped or unreconstructed units). Call at the end.
    public func finishRemaining() { advance(toBlock: blocks.count) }

    // MARK: Streams

    struct UnitData {
        var inputs: ActivationCache
        var targets: ActivationCache
        var inputName: String
    }

    func prepare(unit: ReconstructionUnit, range: Range<Int>) throws(QuantizationError) -> UnitData {
        guard let first = blocks.firstIndex(where: { $0.nodeIndices.contains(range.lowerBound) }) else { throw .unknownLayer(unit.name) }
        if first < position { throw .unitAlreadyPassed(unit.name) }
        advance(toBlock: first)
        let blockStart = blocks[first].nodeIndices.first!
        let blockInput = blocks[first].input
        let inputs: ActivationCache
        let inputName = unit.input
        if inputName == blockInput {
            inputs = quantizedStream
        } else {
            let producer = graph.producerIndex(of: inputName)!
            inputs = Self.run(makeExecutor(nodes: blockStart..<(producer + 1), input: blockInput, quantized: true),
                              on: quantizedStream, chunk: chunk, precision: configuration.cachePrecision)
        }
        let outputProducer = range.upperBound - 1
        let targets = Self.run(makeExecutor(nodes: blockStart..<(outputProducer + 1), input: blockInput, quantized: false),
                               on: fpStream, chunk: chunk, precision: configuration.cachePrecision)
        return UnitData(inputs: inputs, targets: targets, inputName: inputName)
    }

    /// Runs blocks `position..<target` on both streams with the committed model.
    func advance(toBlock target: Int) {
        while position < min(target, blocks.count) {
            let block = blocks[position]
            let range = block.nodeRange!
            calibrateActivations(nodes: range, input: block.input, inputs: quantizedStream, onlyMissing: true)
            let precision = configuration.cachePrecision
            quantizedStream = Self.run(makeExecutor(nodes: range, input: block.input, quantized: true), on: quantizedStream,
                                       chunk: chunk, precision: precision)
            fpStream = Self.run(makeExecutor(nodes: range, input: block.input, quantized: false), on: fpStream,
                                chunk: chunk, precision: precision)
            position += 1
        }
    }

    /// Fits the activation quantizers on outputs of `nodes` in order, each seeing
    /// the earlier ones quantized (as the reference's first quantized forward
    /// does), on the first `activationCalibrationImages` inputs.
    func calibrateActivations(nodes: Range<Int>, input: String, inputs: ActivationCache, onlyMissing: Bool) {
        let targets = model.activations.indices.filter { k in
            model.activations[k].isQuantized && (!onlyMissing || model.activations[k].quantizer == nil)
                && nodes.contains(where: { graph.nodes[$0].output == model.activations[k].tensor })
        }
        guard !targets.isEmpty else { return }
        let n = min(configuration.activationCalibrationImages, inputs.rows)
        let sample = inputs.tensor(rows: 0..<n)
        for k in targets {
            model.activations[k].quantizer = nil
            let producer = graph.producerIndex(of: model.activations[k].tensor)!
            let executor = makeExecutor(nodes: nodes.lowerBound..<(producer + 1), input: input, quantized: true)
            let values = Self.run(executor, on: sample, chunk: chunk)
            model.activations[k].quantizer = values.data.withUnsafeBufferPointer {
                LearnedStepActivationQuantizer(fittedTo: $0, bits: model.activations[k].bits)
            }
        }
    }

    /// An executor over `nodes` with the committed quantized weights and active
    /// activation quantizers (`quantized`), or the FP model.
    func makeExecutor(nodes: Range<Int>, input: String, quantized: Bool, retains: Bool = false) -> GraphExecutor {
        let executor = GraphExecutor(graph: graph, nodes: nodes, retainsIntermediates: retains)
        precondition(executor.inputs == [input], "nodes \(nodes) read \(executor.inputs), not only \(input)")
        if quantized { model.install(in: executor) }
        return executor
    }

    func commit(layer: LayerQuantization) {
        if let k = model.layerIndex(named: layer.layer) { model.layers[k] = layer }
    }

    func commit(activation tensor: String, quantizer: LearnedStepActivationQuantizer) {
        if let k = model.activationIndex(tensor: tensor) { model.activations[k].quantizer = quantizer }
    }

    /// Runs an inference executor over all rows of `data` in chunks; returns the stacked outputs.
    static func run(_ executor: GraphExecutor, on data: Tensor, chunk: Int) -> Tensor {
        let n = data.shape[0]
        let per = data.count / n
        var result: Tensor? = nil
        run(executor, rows: n, chunk: chunk, input: { rows, dst in
            data.data.withUnsafeBufferPointer { src in dst.baseAddress!.update(from: src.baseAddress! + rows.lowerBound * per, count: dst.count) }
        }, output: { rows, out in
            if result == nil { result = Tensor(zeros: [n] + Array(out.shape.dropFirst())) }
            out.data.withUnsafeBufferPointer { src in
                result!.data.withUnsafeMutableBufferPointer { dst in
                    (dst.baseAddress! + rows.lowerBound * src.count / rows.count).update(from: src.baseAddress!, count: src.count)
                }
            }
        })
        return result!
    }

    /// Runs an inference executor over all rows of `data` in chunks; returns the
    /// outputs stored in `precision`, never holding them all in fp32.
    static func run(_ executor: GraphExecutor, on data: ActivationCache, chunk: Int,
                    precision: ActivationCache.Precision) -> ActivationCache {
        var result: ActivationCache? = nil
        run(executor, rows: data.rows, chunk: chunk, input: { rows, dst in data.copyRows(rows, into: dst) },
            output: { rows, out in
                if result == nil { result = ActivationCache(rows: data.rows, rowShape: Array(out.shape.dropFirst()), precision: precision) }
                out.data.withUnsafeBufferPointer { result!.store(rowsFrom: rows.lowerBound, $0) }
            })
        return result!
    }

    /// The chunk loop of both `run`s: `input` fills a chunk's rows, `output` takes their outputs.
    private static func run(_ executor: GraphExecutor, rows n: Int, chunk: Int,
                            input: (Range<Int>, UnsafeMutableBufferPointer<Float>) -> Void,
                            output: (Range<Int>, Tensor) -> Void) {
        var random = Xoshiro256StarStar(seed: 0)   // unused: inference has no QDrop
        var start = 0
        while start < n {
            let rows = start..<min(n, start + chunk)
            executor.setInput(batch: rows.count) { input(rows, $0) }
            executor.forward(random: &random)
            output(rows, executor.output)
            start = rows.upperBound
        }
    }

    static func rows(of data: Tensor, _ range: Range<Int>) -> Tensor {
        let per = data.count / data.shape[0]
        return Tensor(shape: [range.count] + Array(data.shape.dropFirst()),
                      data: Array(data.data[range.lowerBound * per..<range.upperBound * per]))
    }
}
