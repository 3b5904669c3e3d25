/// A graph that does not hold together, found by shape inference or while
/// running it. One line naming the node at fault.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(node: String, detail: String)
    case missingTensor(node: String, tensor: String)
    case unknownTensor(String)
    case invalidInput(tensor: String, detail: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(node, detail): return "shape mismatch at node '\(node)': \(detail)"
        case let .missingTensor(node, tensor): return "node '\(node)' needs tensor '\(tensor)', which was neither given nor computed"
        case let .unknownTensor(name): return "the graph has no tensor named '\(name)'"
        case let .invalidInput(tensor, detail): return "input '\(tensor)': \(detail)"
        }
    }
}
