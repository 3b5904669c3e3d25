import Tensor

extension Tensor {
    /// The values of an integer constant (axes, a Reshape target, Gather
    /// indices) as `Int`s. They were decoded to float, so NaN, 1e30 or
    /// INT64_MAX (2^63 as a float) are refused through `CheckedSize` instead
    /// of trapping in `Int(_:)`; `what` names the node and input.
    func integers(_ what: @autoclosure () -> String) throws(UntrustedSizeError) -> [Int] {
        var result = [Int]()
        result.reserveCapacity(count)
        for value in data { result.append(try CheckedSize.integer(Double(value), what())) }
        return result
    }
}
