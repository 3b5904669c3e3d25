import Network
import Tensor

/// The small fixed model the checkpoint, bits-config, latency-table and
/// sensitivity-cache targets validate their inputs against: a ResNet in
/// miniature (stem, two basic blocks, one with a 1×1 shortcut, pool, linear)
/// on 1×8×8 images, built in code so the harness needs no files. The
/// quantization tests build the same network with their own weights (`build`).
public enum FixedGraph {
    public static let graph: Graph = {
        var random = SplitMix64(seed: 1)
        return build { count, bound in (0..<count).map { _ in (Float(random.next() >> 40) / Float(1 << 24) * 2 - 1) * bound } }
    }()

    /// The network with weights from `values(count, bound)`, which returns
    /// `count` numbers in [−bound, bound]; called for each layer's weight, then
    /// its bias, in node order.
    public static func build(values: (Int, Float) -> [Float]) -> Graph {
        func conv(_ cout: Int, _ cin: Int, _ k: Int, stride: Int = 1) -> Operation {
            .convolution(ConvolutionParameters(
                weight: Tensor(shape: [cout, cin, k, k], data: values(cout * cin * k * k, (6 / Float(cin * k * k)).squareRoot())),
                bias: Tensor(shape: [cout], data: values(cout, 0.1)),
                strideHeight: stride, strideWidth: stride,
                padding: k == 3 ? Padding2D(top: 1, left: 1, bottom: 1, right: 1) : .zero))
        }
        let nodes: [Node] = [
            Node(name: "stem", operation: conv(4, 1, 3), inputs: ["image"], output: "s"),
            Node(name: "stem_relu", operation: .relu, inputs: ["s"], output: "s_r"),
            Node(name: "b1_conv1", operation: conv(4, 4, 3), inputs: ["s_r"], output: "b1c1"),
            Node(name: "b1_relu1", operation: .relu, inputs: ["b1c1"], output: "b1r1"),
            Node(name: "b1_conv2", operation: conv(4, 4, 3), inputs: ["b1r1"], output: "b1c2"),
            Node(name: "b1_add", operation: .add, inputs: ["b1c2", "s_r"], output: "b1a"),
            Node(name: "b1_relu2", operation: .relu, inputs: ["b1a"], output: "b1o"),
            Node(name: "b2_conv1", operation: conv(6, 4, 3, stride: 2), inputs: ["b1o"], output: "b2c1"),
            Node(name: "b2_relu1", operation: .relu, inputs: ["b2c1"], output: "b2r1"),
            Node(name: "b2_conv2", operation: conv(6, 6, 3), inputs: ["b2r1"], output: "b2c2"),
            Node(name: "b2_short", operation: conv(6, 4, 1, stride: 2), inputs: ["b1o"], output: "b2s"),
            Node(name: "b2_add", operation: .add, inputs: ["b2c2", "b2s"], output: "b2a"),
            Node(name: "b2_relu2", operation: .relu, inputs: ["b2a"], output: "b2o"),
            Node(name: "pool", operation: .globalAveragePool, inputs: ["b2o"], output: "p"),
            Node(name: "flatten", operation: .flatten, inputs: ["p"], output: "f"),
            Node(name: "fc", operation: .linear(LinearParameters(
                weight: Tensor(shape: [5, 6], data: values(30, 0.8)), bias: Tensor(shape: [5], data: values(5, 0.1)))),
                 inputs: ["f"], output: "logits"),
        ]
        // The nodes above are a valid graph by construction; a failure here is a bug in this file.
        return try! Graph(inputs: [("image", [1, 8, 8])], outputs: ["logits"], nodes: nodes)
    }

    /// Eight fixed images for sensitivities and forward passes.
    public static let images: Tensor = {
        var random = SplitMix64(seed: 2)
        return Tensor(shape: [8, 1, 8, 8], data: (0..<(8 * 64)).map { _ in Float(random.next() >> 40) / Float(1 << 24) })
    }()
}
