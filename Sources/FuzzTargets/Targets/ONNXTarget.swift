import Foundation
import Network
import Quantization
import Tensor

/// ONNX model bytes → import with shape inference → block detection at every
/// granularity → cost model → one forward pass with batch 1: what `inspect`,
/// `eval` and `quantize` do before any data is read. The forward pass is what
/// meets memory bombs (a Conv with pads of 20000 asks for 51 GB).
enum ONNXTarget {
    static func run(_ input: Data) throws {
        let graph = try Graph.importONNX(data: input, source: "fuzz.onnx")
        try exercise(graph)
    }

    /// Everything after import, shared with the model-config target.
    static func exercise(_ graph: Graph) throws {
        for granularity in Granularity.allCases { _ = graph.units(for: granularity) }
        _ = graph.stages()
        for i in graph.nodes.indices {
            _ = graph.parameterCount(ofNode: i)
            _ = graph.macs(ofNode: i)
        }
        let space = SearchSpace(graph: graph)
        _ = HardwareCost.size(graph: graph, space: space, candidateBits: [2, 4, 8])
        _ = HardwareCost.bops(graph: graph, space: space, candidateBits: [2, 4, 8], configuration: QuantizationConfiguration())
        try forward(graph)
    }

    /// One zero image through the graph's executor. The input tensor is the
    /// harness's own allocation, so it is checked here the way a reader would.
    static func forward(_ graph: Graph) throws {
        let shape = [1] + graph.inputSampleShape
        let count = try CheckedSize.product(shape, "fuzz input \(shape)")
        try AllocationLimit.check(count, "fuzz input \(shape)")
        let executor = GraphExecutor(graph: graph)
        _ = try executor.logits(for: Tensor(zeros: shape))
    }
}
