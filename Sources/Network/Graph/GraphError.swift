import Tensor

/// A graph that does not hold together, found by shape inference or while
/// running it. One line naming the node at fault.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(node: String, detail: String)
    case missingTensor(node: String, tensor: String)
    case unknownTensor(String)
    case invalidInput(tensor: String, detail: String)
    /// A size that overflows or exceeds `AllocationLimit` (an activation, a
    /// batch, a workspace); its `what` names the node.
    case untrustedSize(UntrustedSizeError)
    /// A node writes a tensor that an input or an earlier node already wrote.
    case duplicateTensor(node: String, tensor: String)
    /// A graph without inputs or outputs.
    case incomplete(String)
    /// A layer's weight or bias holds NaN or infinity: nothing can be quantized from it.
    case nonFiniteParameters(node: String, tensor: String)

    /// One line with control characters escaped: node and tensor names come from the model file, and the
    /// terminal must not execute them.
    public var description: String { TerminalText.sanitized(unescapedDescription) }

    private var unescapedDescription: String {
        switch self {
        case let .shapeMismatch(node, detail): return "shape mismatch at node '\(node)': \(detail)"
        case let .missingTensor(node, tensor): return "node '\(node)' needs tensor '\(tensor)', which was neither given nor computed"
        case let .unknownTensor(name): return "the graph has no tensor named '\(name)'"
        case let .invalidInput(tensor, detail): return "input '\(tensor)': \(detail)"
        case let .untrustedSize(error): return error.description
        case let .duplicateTensor(node, tensor): return "node '\(node)' writes '\(tensor)', which is already a graph input or another node's output"
        case let .incomplete(detail): return "incomplete graph: \(detail)"
        case let .nonFiniteParameters(node, tensor): return "node '\(node)': its \(tensor) holds NaN or infinity"
        }
    }
}
