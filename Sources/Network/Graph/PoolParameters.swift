/// Window of a 2-D max or average pool. `auto_pad` is resolved to explicit
/// padding at import, because spatial sizes are static.
public struct PoolParameters: Sendable, Equatable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    public var padding: Padding2D
    /// Output size rounds up, so the last window may hang over the padded input.
    public var ceilMode: Bool
    /// Average pooling divides by the full window size, padding included,
    /// rather than by the number of real input elements under the window.
    public var countIncludePad: Bool

    public init(kernelHeight: Int, kernelWidth: Int, strideHeight: Int = 1, strideWidth: Int = 1,
                padding: Padding2D = .zero, ceilMode: Bool = false, countIncludePad: Bool = false) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }
}
