import Network
import Tensor

/// A ResNet in miniature built in code: stem conv+ReLU, one basic block
/// (conv–ReLU–conv + identity, add, ReLU), a stride-2 basic block with a 1×1
/// shortcut conv, global average pool, flatten, linear classifier. Small
/// enough for debug-build tests, with every node kind BRECQ meets in ResNets.
enum TinyNetwork {
    static func graph(seed: UInt64 = 1) -> Graph {
        var r = FixtureRandom(seed: seed)
        func conv(_ cout: Int, _ cin: Int, _ k: Int, stride: Int = 1) -> Operation {
            let fanIn = Float(cin * k * k)
            let bound = (6 / fanIn).squareRoot()
            return .convolution(ConvolutionParameters(
                weight: Tensor(shape: [cout, cin, k, k], data: r.array(cout * cin * k * k, -bound, bound)),
                bias: Tensor(shape: [cout], data: r.array(cout, -0.1, 0.1)),
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
                weight: Tensor(shape: [5, 6], data: r.array(30, -0.8, 0.8)), bias: Tensor(shape: [5], data: r.array(5, -0.1, 0.1)))),
                 inputs: ["f"], output: "logits"),
        ]
        return try! Graph(inputs: [("image", [1, 8, 8])], outputs: ["logits"], nodes: nodes)
    }

    static func images(_ n: Int, seed: UInt64 = 2) -> Tensor {
        var r = FixtureRandom(seed: seed)
        return Tensor(shape: [n, 1, 8, 8], data: r.array(n * 64, 0, 1))
    }
}
