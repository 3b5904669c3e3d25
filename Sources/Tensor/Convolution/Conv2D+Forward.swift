extension Conv2D {
    /// `output = conv(input, weight) + bias`. `output` is resized to `[N, Cout, Ho, Wo]`.
    /// - Parameters:
    ///   - weight: `[Cout, Cin/groups, kH, kW]`.
    ///   - bias: `Cout` values, or nil.
    public static func forward(input: Tensor, weight: Tensor, bias: [Float]?,
                               parameters: Conv2DParameters,
                               output: inout Tensor, workspace: inout Conv2DWorkspace) {
        let g = ConvGeometry(inputShape: input.shape, weightShape: weight.shape, parameters: parameters)
        if let bias { precondition(bias.count == g.outChannels, "bias has \(bias.count) values for \(g.outChannels) channels") }
        output.resize(to: g.outputShape)
        input.data.withUnsafeBufferPointer { x in
            weight.data.withUnsafeBufferPointer { w in
                output.data.withUnsafeMutableBufferPointer { y in
                    if WinogradConv2D.isChosen(g) {
                        WinogradConv2D.forward(g, input: x.baseAddress!, weight: w.baseAddress!, bias: bias,
                                               output: y.baseAddress!, workspace: &workspace)
                        return
                    }
                    if DirectConv2D.supports(g) {
                        DirectConv2D.forward(g, input: x.baseAddress!, weight: w.baseAddress!, bias: bias,
                                             output: y.baseAddress!, workspace: &workspace)
                        return
                    }
                    // Grouped (not depthwise) and dense 1×1 stride-1 kernels.
                    fillBias(g, bias: bias, output: y.baseAddress!)
                    forwardGEMM(g, input: x.baseAddress!, weight: w.baseAddress!, output: y.baseAddress!, workspace: &workspace)
                }
            }
        }
    }

    /// Allocating convenience for tests and one-off calls; hot loops should use the `inout` form.
    public static func forward(input: Tensor, weight: Tensor, bias: [Float]? = nil,
                               parameters: Conv2DParameters = Conv2DParameters()) -> Tensor {
        var output = Tensor(zeros: [0])
        var workspace = Conv2DWorkspace()
        forward(input: input, weight: weight, bias: bias, parameters: parameters, output: &output, workspace: &workspace)
        return output
    }

    /// The output shape for an input shape, without computing anything.
    public static func outputShape(inputShape: [Int], weightShape: [Int], parameters: Conv2DParameters) -> [Int] {
        ConvGeometry(inputShape: inputShape, weightShape: weightShape, parameters: parameters).outputShape
    }

    /// FLOPs (2 × multiply-adds) of one forward pass; each backward pass costs the same.
    public static func forwardFlops(inputShape: [Int], weightShape: [Int], parameters: Conv2DParameters) -> Double {
        ConvGeometry(inputShape: inputShape, weightShape: weightShape, parameters: parameters).forwardFlops
    }

    /// The output starts as the bias (or zero) so the GEMM and depthwise loops can accumulate into it.
    static func fillBias(_ g: ConvGeometry, bias: [Float]?, output: UnsafeMutablePointer<Float>) {
        let P = g.outPlane
        guard let bias else {
            output.update(repeating: 0, count: g.batch * g.outChannels * P)
            return
        }
        for n in 0..<g.batch {
            for c in 0..<g.outChannels {
                (output + (n * g.outChannels + c) * P).update(repeating: bias[c], count: P)
            }
        }
    }

    static func forwardGEMM(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                            output: UnsafeMutablePointer<Float>, workspace: inout Conv2DWorkspace) {
        let P = g.outPlane, K = g.patchSize, cog = g.outChannelsPerGroup
        // GEMM results always go to the staging matrix and are then added into
        // NCHW, even for one-sample chunks: accumulating straight into the
        // output (beta = 1, ldc = P) measured several times slower with
        // OpenBLAS 0.3.21 here.
        workspace.forEachChunk(g) { n0, s, col, staging in
            for group in 0..<g.groups {
                Im2Col.unfold(g, input: input, firstSample: n0, samples: s, group: group, columns: col)
                BLAS.sgemm(m: cog, n: s * P, k: K, a: weight + group * cog * K, lda: K, b: col, ldb: s * P,
                           beta: 0, c: staging + group * cog * s * P, ldc: s * P)
            }
            ChannelMajor.scatterAdd(staging, into: output, firstSample: n0, samples: s,
                                    channels: g.outChannels, plane: P)
        }
    }
}

/// Moves between NCHW and the channel-major `[C × (samples·P)]` layout GEMMs use.
enum ChannelMajor {
    /// `nchw[n0+s, c, p] += staged[c, s·P + p]`.
    static func scatterAdd(_ staged: UnsafePointer<Float>, into nchw: UnsafeMutablePointer<Float>,
                           firstSample n0: Int, samples: Int, channels: Int, plane P: Int) {
        let src = UnsafeSendableBox(staged), dst = UnsafeSendableBox(nchw)
        parallelFor(channels, work: channels * samples * P) { c in
            for s in 0..<samples {
                let from = src.value + (c * samples + s) * P
                let to = dst.value + ((n0 + s) * channels + c) * P
                for p in 0..<P { to[p] += from[p] }
            }
        }
    }

    /// `staged[c, s·P + p] = nchw[n0+s, c, p]`.
    static func gather(_ nchw: UnsafePointer<Float>, into staged: UnsafeMutablePointer<Float>,
                       firstSample n0: Int, samples: Int, channels: Int, plane P: Int) {
        let src = UnsafeSendableBox(nchw), dst = UnsafeSendableBox(staged)
        parallelFor(channels, work: channels * samples * P) { c in
            for s in 0..<samples {
                (dst.value + (c * samples + s) * P).update(from: src.value + ((n0 + s) * channels + c) * P, count: P)
            }
        }
    }
}
