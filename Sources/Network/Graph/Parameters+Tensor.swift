import Tensor

extension ConvolutionParameters {
    /// The stride/padding/groups in the form the Tensor kernels take.
    public var conv2D: Conv2DParameters {
        Conv2DParameters(strideHeight: strideHeight, strideWidth: strideWidth, padTop: padding.top,
                         padLeft: padding.left, padBottom: padding.bottom, padRight: padding.right, groups: groups)
    }
}

extension PoolParameters {
    /// The window in the form the Tensor kernels take.
    public var pool2D: Pool2DParameters {
        Pool2DParameters(kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideHeight: strideHeight,
                         strideWidth: strideWidth, padTop: padding.top, padLeft: padding.left,
                         padBottom: padding.bottom, padRight: padding.right,
                         ceilMode: ceilMode, countIncludePad: countIncludePad)
    }
}
