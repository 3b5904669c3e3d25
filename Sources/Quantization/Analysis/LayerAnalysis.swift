/// Every figure the analysis gives for one quantized layer.
public struct LayerAnalysis: Sendable, Codable, Equatable {
    /// Node name of the conv/linear layer.
    public var layer: String
    /// The block it belongs to (index into `Graph.blockUnits()`, and its name).
    public var block: Int
    public var blockName: String
    public var weightBits: Int
    /// Bits of the quantizer on its input; 32 when the input is not quantized.
    public var activationBits: Int
    /// At the layer's output (before any quantizer on that output), whole model quantized.
    public var accumulated: AccumulatedError
    /// At the network's output, this layer alone quantized; nil when not measured.
    public var isolated: IsolatedErrors?
    public var weightStatistics: QuantizerStatistics
    /// Of the tensor the layer reads, when that tensor is quantized.
    public var activationStatistics: QuantizerStatistics?

    public init(layer: String, block: Int, blockName: String, weightBits: Int, activationBits: Int,
                accumulated: AccumulatedError, isolated: IsolatedErrors?, weightStatistics: QuantizerStatistics,
                activationStatistics: QuantizerStatistics?) {
        self.layer = layer; self.block = block; self.blockName = blockName
        self.weightBits = weightBits; self.activationBits = activationBits
        self.accumulated = accumulated; self.isolated = isolated
        self.weightStatistics = weightStatistics; self.activationStatistics = activationStatistics
    }
}

/// The analysis of one quantized model on one set of evaluation images.
public struct AnalysisReport: Sendable, Codable, Equatable {
    /// Evaluation images used.
    public var images: Int
    /// Layers in graph order (see `worstFirst`).
    public var layers: [LayerAnalysis]
    /// The whole quantized model against FP at the output.
    public var output: IsolatedError
    /// Top-1 accuracy (0…1) of the FP and the quantized model when labels were given.
    public var fpAccuracy: Double?
    public var quantizedAccuracy: Double?

    public init(images: Int, layers: [LayerAnalysis], output: IsolatedError, fpAccuracy: Double?, quantizedAccuracy: Double?) {
        self.images = images; self.layers = layers; self.output = output
        self.fpAccuracy = fpAccuracy; self.quantizedAccuracy = quantizedAccuracy
    }

    /// Highest accumulated noise-to-signal ratio first; ties in graph order.
    public var worstFirst: [LayerAnalysis] {
        layers.enumerated().sorted { a, b in
            a.element.accumulated.noiseToSignalDecibels != b.element.accumulated.noiseToSignalDecibels
                ? a.element.accumulated.noiseToSignalDecibels > b.element.accumulated.noiseToSignalDecibels : a.offset < b.offset
        }.map(\.element)
    }
}
