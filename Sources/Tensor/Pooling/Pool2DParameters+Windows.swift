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

    /// The forward scaffold of max and average pooling: checks that `input` is
    /// NCHW, resizes `output` to the pooled shape and writes every output
    /// element as `pool(plane, h, w, oy, ox, rows, cols)` over its window of the
    /// input plane (planes in parallel).
    @inline(__always)
    func forward(input: Tensor, output: inout Tensor, kind: String,
                 _ pool: (_ plane: UnsafePointer<Float>, _ h: Int, _ w: Int, _ oy: Int, _ ox: Int,
                          _ rows: Range<Int>, _ cols: Range<Int>) -> Float) {
        precondition(input.rank == 4, "\(kind) input must be NCHW, got \(input.shape)")
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (oh, ow) = outputSize(height: h, width: w)
        output.resize(to: [n, c, oh, ow])
        input.data.withUnsafeBufferPointer { xb in
            output.data.withUnsafeMutableBufferPointer { yb in
                let x = UnsafeSendableBox(xb.baseAddress!), y = UnsafeSendableBox(yb.baseAddress!)
                parallelFor(n * c, work: n * c * oh * ow * kernelHeight * kernelWidth) { plane in
                    let src = x.value + plane * h * w, dst = y.value + plane * oh * ow
                    forEachWindow(height: h, width: w) { oy, ox, rows, cols in
                        dst[oy * ow + ox] = pool(src, h, w, oy, ox, rows, cols)
                    }
                }
            }
        }
    }

    /// The backward scaffold of max and average pooling: resizes `gradInput` to
    /// `inputShape`, zeroes it and calls `route(plane, dy, dx, h, w, oy, ox, rows, cols)`
    /// for every window (planes in parallel) with the window's output gradient
    /// `dy` and the plane's input gradient `dx` to add it into.
    @inline(__always)
    func backward(inputShape: [Int], gradOutput: Tensor, gradInput: inout Tensor, kind: String,
                  _ route: (_ plane: Int, _ dy: Float, _ dx: UnsafeMutablePointer<Float>, _ h: Int, _ w: Int, _ oy: Int, _ ox: Int,
                            _ rows: Range<Int>, _ cols: Range<Int>) -> Void) {
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (oh, ow) = outputSize(height: h, width: w)
        precondition(gradOutput.shape == [n, c, oh, ow], "\(kind) gradOutput \(gradOutput.shape), expected \([n, c, oh, ow])")
        gradInput.resize(to: inputShape)
        gradOutput.data.withUnsafeBufferPointer { dyb in
            gradInput.data.withUnsafeMutableBufferPointer { dxb in
                let dy = UnsafeSendableBox(dyb.baseAddress!), dx = UnsafeSendableBox(dxb.baseAddress!)
                parallelFor(n * c, work: n * c * oh * ow * kernelHeight * kernelWidth) { plane in
                    let g = dy.value + plane * oh * ow, dst = dx.value + plane * h * w
                    dst.update(repeating: 0, count: h * w)
                    forEachWindow(height: h, width: w) { oy, ox, rows, cols in
                        route(plane, g[oy * ow + ox], dst, h, w, oy, ox, rows, cols)
                    }
                }
            }
        }
    }
}
