import Tensor

/// What a graph node computes. The parametric cases carry their (folded)
/// weights; everything else is a fixed function of its inputs.
public enum Operation: Sendable, Equatable {
    case convolution(ConvolutionParameters)
    case linear(LinearParameters)
    case relu
    /// ReLU6 is `clip(min: 0, max: 6)`; an absent bound is ±infinity.
    case clip(min: Float, max: Float)
    /// LeakyRelu, HardSigmoid, HardSwish, Sigmoid, Tanh.
    case smooth(SmoothActivation)
    /// Element-wise sum of two tensors; the second may be a constant that
    /// broadcasts (NumPy rules) against the first.
    case add
    /// Element-wise product; the second operand (computed, as a
    /// squeeze-excitation gate, or constant) broadcasts to the first.
    case mul
    /// Joins the operands along `axis` of the full tensor (≥ 1: never the batch).
    case concat(axis: Int)
    case maxPool(PoolParameters)
    case averagePool(PoolParameters)
    case globalAveragePool
    /// `[N, d1, d2, …] → [N, d1·d2·…]`.
    case flatten
    /// Keeps the batch axis; `sampleShape` is the new shape of one sample.
    case reshape(sampleShape: [Int])

    /// The ONNX-like name shown by `brecq inspect` and in messages.
    public var kindName: String {
        switch self {
        case .convolution(let p): return p.isDepthwise ? "DepthwiseConv" : "Conv"
        case .linear: return "Linear"
        case .relu: return "Relu"
        case let .clip(lo, hi): return lo == 0 && hi == 6 ? "Relu6" : "Clip"
        case .smooth(let f): return f.onnxName
        case .add: return "Add"
        case .mul: return "Mul"
        case .concat: return "Concat"
        case .maxPool: return "MaxPool"
        case .averagePool: return "AveragePool"
        case .globalAveragePool: return "GlobalAveragePool"
        case .flatten: return "Flatten"
        case .reshape: return "Reshape"
        }
    }

    /// Add and Mul may read a graph constant as their second operand.
    public var acceptsConstantOperand: Bool {
        switch self {
        case .add, .mul: return true
        default: return false
        }
    }

    /// Whether a node of this operation may read `count` tensors: Add and Mul
    /// two, Concat one or more, everything else exactly one. (The executor
    /// reads operands by position, so a third Add operand would be ignored by
    /// shape inference but not by the arithmetic.)
    public func acceptsInputCount(_ count: Int) -> Bool {
        switch self {
        case .add, .mul: return count == 2
        case .concat: return count >= 1
        default: return count == 1
        }
    }

    /// Convolutions and linear layers: the nodes whose weights get quantized.
    public var isParametric: Bool {
        switch self {
        case .convolution, .linear: return true
        default: return false
        }
    }

    /// "weight" or "bias" when that parameter holds NaN or infinity (checked once, at
    /// graph construction: quantizer scales and integer levels cannot come from them).
    var nonFiniteParameter: String? {
        let (weight, bias): (Tensor, Tensor?)
        switch self {
        case .convolution(let p): (weight, bias) = (p.weight, p.bias)
        case .linear(let p): (weight, bias) = (p.weight, p.bias)
        default: return nil
        }
        if !weight.data.allSatisfy(\.isFinite) { return "weight" }
        if let bias, !bias.data.allSatisfy(\.isFinite) { return "bias" }
        return nil
    }

    /// One-input, element-wise activations (they follow a layer and belong to it).
    public var isActivation: Bool {
        switch self {
        case .relu, .clip, .smooth: return true
        default: return false
        }
    }
}
