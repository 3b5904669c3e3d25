extension Pool2DParameters {
    /// Every output position of one `height × width` plane with the input rows
    /// and columns its window covers (clipped to the image): the traversal that
    /// max and average pooling, forward and backward, share.
    @inline(__always)
    func forEachWindow(height h: Int, width w: Int, _ body: (_ oy: Int, _ ox: Int, _ rows: Range<Int>, _ cols: Range<Int>) -> Void) {
        let (oh, ow) = outputSize(height: h, width: w)
        for oy in 0..<oh {
            let rows = Self.window(oy, stride: strideHeight, pad: padTop, kernel: kernelHeight, size: h)
            for ox in 0..<ow {
                body(oy, ox, rows, Self.window(ox, stride: strideWidth, pad: padLeft, kernel: kernelWidth, size: w))
            }
        }
    }
}
