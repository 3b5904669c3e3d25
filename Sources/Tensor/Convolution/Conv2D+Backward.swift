import CKernels

extension Conv2D {
    /// Gradients of a convolution in one pass over the batch, sharing the
    /// gathered output gradient between the weight and input GEMMs.
    ///
    /// Pass nil for a gradient you do not need (e.g. no `gradInput` for a
    /// network's first layer, no `gradWeight` for a frozen one); it is then not
    /// computed. Gradients are overwritten, not accumulated. Tensors given are
    /// resized to the input / weight shapes; `gradBias` to `Cout`.
    public static func backward(input: Tensor, weight: Tensor, gradOutput: Tensor,
                                parameters: Conv2DParameters,
                                gradInput: UnsafeMutablePointer<Tensor>? = nil,
                                gradWeight: UnsafeMutablePointer<Tensor>? = nil,
                                gradBias: UnsafeMutablePointer<[Float]>? = nil,
                                workspace: inout Conv2DWorkspace) {
        let g = ConvGeometry(inputShape: input.shape, weightShape: weight.shape, parameters: parameters)
        precondition(gradOutput.shape == g.outputShape, "gradOutput \(gradOutput.shape) does not match output \(g.outputShape)")
        if let gradBias { computeBiasGradient(g, gradOutput: gradOutput, into: &gradBias.pointee) }
        guard gradInput != nil || gradWeight != nil else { return }
        gradInput?.pointee.resize(to: g.inputShape)
        gradWeight?.pointee.resize(to: g.weightShape)
        input.data.withUnsafeBufferPointer { x in
        weight.data.withUnsafeBufferPointer { w in
        gradOutput.data.withUnsafeBufferPointer { dy in
            withOptionalMutablePointer(gradInput) { dx in
            withOptionalMutablePointer(gradWeight) { dw in
                if WinogradConv2D.isChosen(g) {
                    WinogradConv2D.backward(g, input: x.baseAddress!, weight: w.baseAddress!, gradOutput: dy.baseAddress!,
                                            gradInput: dx, gradWeight: dw, workspace: &workspace)
                    return
                }
                // Each gradient on the direct kernels where they apply (a strided
                // 3×3 kernel's weight gradient but not its input gradient), the rest together.
                var dw = dw, dx = dx
                if let weightGrad = dw, DirectConv2D.supportsWeightGradient(g) {
                    DirectConv2D.weightGradient(g, input: x.baseAddress!, gradOutput: dy.baseAddress!,
                                                gradWeight: weightGrad, workspace: &workspace)
                    dw = nil
                }
                if let inputGrad = dx, DirectConv2D.supportsInputGradient(g) {
                    DirectConv2D.inputGradient(g, weight: w.baseAddress!, gradOutput: dy.baseAddress!,
                                               gradInput: inputGrad, workspace: &workspace)
                    dx = nil
                }
                guard dx != nil || dw != nil else { return }
                if g.isDepthwise {
                    // Only a strided or widely padded input gradient is left here.
                    if let dx { DepthwiseConv2D.backwardInput(g, gradOutput: dy.baseAddress!, weight: w.baseAddress!, gradInput: dx) }
                } else {
                    backwardGEMM(g, input: x.baseAddress!, weight: w.baseAddress!, gradOutput: dy.baseAddress!,
                                 gradInput: dx, gradWeight: dw, workspace: &workspace)
                }
            }
            }
        }
        }
        }
    }

    /// `inout` convenience for the common case of wanting input and weight gradients.
    public static func backward(input: Tensor, weight: Tensor, gradOutput: Tensor,
                                parameters: Conv2DParameters,
                                gradInput: inout Tensor, gradWeight: inout Tensor, gradBias: inout [Float],
                                workspace: inout Conv2DWorkspace) {
        withUnsafeMutablePointer(to: &gradInput) { dx in
            withUnsafeMutablePointer(to: &gradWeight) { dw in
                withUnsafeMutablePointer(to: &gradBias) { db in
                    backward(input: input, weight: weight, gradOutput: gradOutput, parameters: parameters,
                             gradInput: dx, gradWeight: dw, gradBias: db, workspace: &workspace)
                }
            }
        }
    }

    /// Input gradient only.
    public static func backwardInput(input: Tensor, weight: Tensor, gradOutput: Tensor,
                                     parameters: Conv2DParameters,
                                     gradInput: inout Tensor, workspace: inout Conv2DWorkspace) {
        withUnsafeMutablePointer(to: &gradInput) { dx in
            backward(input: input, weight: weight, gradOutput: gradOutput, parameters: parameters,
                     gradInput: dx, workspace: &workspace)
        }
    }

    /// Weight (and optionally bias) gradient only.
    public static func backwardWeight(input: Tensor, weight: Tensor, gradOutput: Tensor,
                                      parameters: Conv2DParameters,
                                      gradWeight: inout Tensor, gradBias: UnsafeMutablePointer<[Float]>? = nil,
                                      workspace: inout Conv2DWorkspace) {
        withUnsafeMutablePointer(to: &gradWeight) { dw in
            backward(input: input, weight: weight, gradOutput: gradOutput, parameters: parameters,
                     gradWeight: dw, gradBias: gradBias, workspace: &workspace)
        }
    }

    /// One task per channel, summing images in order: deterministic.
    static func computeBiasGradient(_ g: ConvGeometry, gradOutput: Tensor, into gradBias: inout [Float]) {
        let P = g.outPlane, isa = ConvKernels.best.isa
        if gradBias.count != g.outChannels { gradBias = [Float](repeating: 0, count: g.outChannels) }
        gradOutput.data.withUnsafeBufferPointer { dyBuffer in
            gradBias.withUnsafeMutableBufferPointer { dbBuffer in
                let dy = UnsafeSendableBox(dyBuffer.baseAddress!), db = UnsafeSendableBox(dbBuffer.baseAddress!)
                parallelFor(g.outChannels, work: g.batch * g.outChannels * P) { c in
                    var sum: Float = 0
                    for n in 0..<g.batch { sum += ck_sum(isa, dy.value + (n * g.outChannels + c) * P, P) }
                    db.value[c] = sum
                }
            }
        }
    }

    static func backwardGEMM(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                             gradOutput: UnsafePointer<Float>,
                             gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                             workspace: inout Conv2DWorkspace) {
        let P = g.outPlane, K = g.patchSize, cog = g.outChannelsPerGroup
        // dY is always gathered into channel-major form (see forwardGEMM on why
        // one-sample chunks do not use the NCHW planes in place).
        if let gradInput { gradInput.update(repeating: 0, count: g.batch * g.inChannels * g.inPlane) }
        workspace.forEachChunk(g) { n0, s, col, staging in
            ChannelMajor.gather(gradOutput, into: staging, firstSample: n0, samples: s,
                                channels: g.outChannels, plane: P)
            for group in 0..<g.groups {
                // dY for this group as a [cog × s·P] matrix.
                let dy = UnsafePointer(staging + group * cog * s * P)
                let ld = s * P
                let w = weight + group * cog * K
                if let gradWeight {
                    Im2Col.unfold(g, input: input, firstSample: n0, samples: s, group: group, columns: col)
                    BLAS.sgemm(transB: .transpose, m: cog, n: K, k: ld, a: dy, lda: ld, b: col, ldb: ld,
                               beta: n0 == 0 ? 0 : 1, c: gradWeight + group * cog * K, ldc: K)
                }
                if let gradInput {
                    BLAS.sgemm(transA: .transpose, m: K, n: ld, k: cog, a: w, lda: K, b: dy, ldb: ld,
                               beta: 0, c: col, ldc: ld)
                    Im2Col.fold(g, columns: col, firstSample: n0, samples: s, group: group, gradInput: gradInput)
                }
            }
        }
    }
}

/// Calls `body` with the base address of an optional tensor's storage.
@inline(__always)
func withOptionalMutablePointer<R>(_ tensor: UnsafeMutablePointer<Tensor>?,
                                   _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard let tensor else { return body(nil) }
    return tensor.pointee.data.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
