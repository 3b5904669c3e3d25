/// A group of nodes reconstructed together (named to stay clear of Foundation.Unit): it reads one tensor and writes one.
public struct ReconstructionUnit: Sendable, Equatable {
    public var name: String
    public var kind: UnitKind
    /// Indices into `Graph.nodes`, in execution order. For block, stage and
    /// net units they are contiguous; a layer unit is its layer plus the
    /// activation right after it.
    public var nodeIndices: [Int]
    /// Names of the conv/linear nodes inside, in execution order.
    public var layers: [String]
    /// The single tensor the unit reads.
    public var input: String
    /// The single tensor the unit writes.
    public var output: String
    /// Sample shape (no batch axis) of `output`.
    public var outputShape: [Int]
    /// Weights plus biases of its layers.
    public var parameters: Int
    /// Multiply-accumulates per sample.
    public var macs: Int

    public init(name: String, kind: UnitKind, nodeIndices: [Int], layers: [String], input: String, output: String,
                outputShape: [Int], parameters: Int, macs: Int) {
        self.name = name
        self.kind = kind
        self.nodeIndices = nodeIndices
        self.layers = layers
        self.input = input
        self.output = output
        self.outputShape = outputShape
        self.parameters = parameters
        self.macs = macs
    }

    /// `nodeIndices` as a range when they are contiguous.
    public var nodeRange: Range<Int>? {
        guard let first = nodeIndices.first, let last = nodeIndices.last, last - first + 1 == nodeIndices.count else { return nil }
        return first..<(last + 1)
    }
}
