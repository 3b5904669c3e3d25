import Tensor

/// Choices a caller can make about how an ONNX file becomes a `Graph`.
public struct ONNXImportOptions: Sendable {
    /// Sample shape of the (first) input, e.g. `[1, 28, 28]` from a model's
    /// config. It must agree with the dimensions the file declares, if any.
    public var inputSampleShape: [Int]?
    /// Graph inputs to treat as constants (ONNX's operator test cases feed
    /// weights as inputs; binding them lets those graphs import as layers).
    public var boundInputs: [String: Tensor]

    public init(inputSampleShape: [Int]? = nil, boundInputs: [String: Tensor] = [:]) {
        self.inputSampleShape = inputSampleShape
        self.boundInputs = boundInputs
    }
}
