import Engine
import Network

/// A unit's nodes laid out for drawing: one row per node in execution order
/// after a row for the unit's input, the main path in one column and each
/// residual Add's skip path (and a squeeze-excitation Mul's identity operand)
/// in a second, with the span of rows its line covers.
/// Built from the node structure the engine records (`UnitInfo.nodes`), which
/// comes from the graph's edges.
struct BlockDiagram: Equatable {
    struct Row: Equatable {
        /// Index into the unit's nodes; nil for the input row.
        var node: Int?
        /// Drawn in the skip column (a shortcut convolution).
        var onSkip: Bool
    }

    /// A skip connection: its line leaves `fromRow` and joins the Add on `toRow`.
    struct Skip: Equatable {
        var fromRow: Int
        var toRow: Int
    }

    var nodes: [UnitNode]
    var rows: [Row]
    var skips: [Skip]

    init(nodes: [UnitNode]) {
        self.nodes = nodes
        var skipNodes = Set<Int>()
        var spans: [(from: Int, add: Int)] = []
        // Residual Adds, then the Mul of a squeeze-excitation (its identity operand is the
        // skip, the pooled branch the main path) where it does not overlap an Add's span:
        // drawn as a chain, "gap … hardsigmoid, mul" would hide what the Mul multiplies.
        let joins = nodes.indices.filter { nodes[$0].op == "add" } + nodes.indices.filter { nodes[$0].op == "mul" }
        for k in joins where nodes[k].inputs.count == 2 && nodes[k].inputs.allSatisfy({ $0 >= -1 && $0 < k }) {
            let node = nodes[k]
            let a = Self.chain(from: node.inputs[0], in: nodes)
            let b = Self.chain(from: node.inputs[1], in: nodes)
            // Where the two operands' paths part: the latest node (or the input) on both.
            guard let branch = a.first(where: { b.contains($0) }) else { continue }
            if node.op == "mul", spans.contains(where: { $0.from < k && branch < $0.add }) { continue }
            let pathA = a.prefix { $0 != branch }, pathB = b.prefix { $0 != branch }
            // The shorter path is the skip (empty: the identity shortcut).
            let skipPath = pathA.count <= pathB.count ? pathA : pathB
            skipNodes.formUnion(skipPath)
            spans.append((branch, k))
        }
        rows = [Row(node: nil, onSkip: false)] + nodes.indices.map { Row(node: $0, onSkip: skipNodes.contains($0)) }
        // Row of node k is k + 1; the input (-1) is row 0.
        skips = spans.map { Skip(fromRow: $0.from + 1, toRow: $0.add + 1) }
    }

    /// The nodes from `start` back to the unit's input along first operands, `start` first, ending with -1.
    static func chain(from start: Int, in nodes: [UnitNode]) -> [Int] {
        var result: [Int] = []
        var k = start
        // Operands point to earlier nodes (checked on read), so the walk ends.
        while k >= 0, k < nodes.count {
            result.append(k)
            let next = nodes[k].inputs.first ?? -1
            k = next < k ? next : -1
        }
        result.append(-1)
        return result
    }

    /// Whether `row` lies strictly inside some skip's span (its line passes by).
    func skipPasses(row: Int) -> Bool { skips.contains { $0.fromRow < row && row < $0.toRow } }
}
