import FuzzTargets
import Network
import Tensor

/// A ResNet in miniature built in code (`FixedGraph`, the fuzz harness's
/// model, with weights drawn from `FixtureRandom`): stem conv+ReLU, one basic
/// block (conv–ReLU–conv + identity, add, ReLU), a stride-2 basic block with a
/// 1×1 shortcut conv, global average pool, flatten, linear classifier. Small
/// enough for debug-build tests, with every node kind BRECQ meets in ResNets.
enum TinyNetwork {
    static func graph(seed: UInt64 = 1) -> Graph {
        var r = FixtureRandom(seed: seed)
        return FixedGraph.build { count, bound in r.array(count, -bound, bound) }
    }

    static func images(_ n: Int, seed: UInt64 = 2) -> Tensor {
        var r = FixtureRandom(seed: seed)
        return Tensor(shape: [n, 1, 8, 8], data: r.array(n * 64, 0, 1))
    }
}
