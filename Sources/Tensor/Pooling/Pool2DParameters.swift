/// Window, stride and padding of a 2-D pooling (ONNX `MaxPool`/`AveragePool` attributes).
public struct Pool2DParameters: Sendable, Hashable {
    public var kernelHeight: Int, kernelWidth: Int
    public var strideHeight: Int, strideWidth: Int
    public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
    /// ONNX `ceil_mode`: round the output size up, so a partial last window counts.
    public var ceilMode: Bool
    /// ONNX `count_include_pad` (average pooling only). Default false, as in ONNX:
    /// border windows average only the elements inside the image.
    public var countIncludePad: Bool

    public init(kernelHeight: Int, kernelWidth: Int, strideHeight: Int, strideWidth: Int,
                padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0,
                ceilMode: Bool = false, countIncludePad: Bool = false) {
        precondition(kernelHeight > 0 && kernelWidth > 0 && strideHeight > 0 && strideWidth > 0,
                     "pool kernel and stride must be positive")
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideHeight = strideHeight; self.strideWidth = strideWidth
        self.padTop = padTop; self.padLeft = padLeft; self.padBottom = padBottom; self.padRight = padRight
        self.ceilMode = ceilMode; self.countIncludePad = countIncludePad
    }

    /// Square window; stride defaults to the window (non-overlapping), as ONNX does.
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = false) {
        self.init(kernelHeight: kernel, kernelWidth: kernel, strideHeight: stride ?? kernel, strideWidth: stride ?? kernel,
                  padTop: padding, padLeft: padding, padBottom: padding, padRight: padding,
                  ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        func size(_ input: Int, _ padA: Int, _ padB: Int, _ k: Int, _ s: Int) -> Int {
            let span = input + padA + padB - k
            var out = (ceilMode ? (span + s - 1) / s : span / s) + 1
            // As in PyTorch/ONNX: the last window must start inside the image or left padding.
            if ceilMode && (out - 1) * s >= input + padA { out -= 1 }
            return out
        }
        return (size(height, padTop, padBottom, kernelHeight, strideHeight),
                size(width, padLeft, padRight, kernelWidth, strideWidth))
    }

    /// Input range (clipped to the image) covered by output index `o` along one axis.
    @inline(__always)
    static func window(_ o: Int, stride: Int, pad: Int, kernel: Int, size: Int) -> Range<Int> {
        let start = o * stride - pad
        return max(0, start)..<min(size, start + kernel)
    }
}
