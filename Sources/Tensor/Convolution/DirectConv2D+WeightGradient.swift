import CKernels

extension DirectConv2D {
    /// `dW[co, ci, t] = Σ_n Σ_i dY[n, co, i] · Xpad[n, ci, i + offset(t)]`.
    ///
    /// The whole batch is padded (input) and widened (output gradient) first,
    /// then each task owns a block of output channels and sums over every
    /// image itself, so no partial sums from different tasks are ever added
    /// and the result is independent of the core count.
    static func weightGradient(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, workspace: inout Conv2DWorkspace,
                               kernels: ConvKernels) {
        let plan = FlatPaddedPlanes(forward: g, kernels: kernels)
        padSource(plan, images: g.batch, source: Source(pointer: input, channels: g.inChannels),
                  workspace: &workspace, kernels: kernels)
        let taps = plan.tapOffsets.count, paddedTaps = roundUp(taps, to: kernels.tapBlock)
        let block = g.isDepthwise ? 1 : kernels.gradOutputBlock
        let paddedOut = roundUp(g.outChannels, to: block)
        widenGradient(g, plan: plan, gradOutput: gradOutput, channels: paddedOut, workspace: &workspace, kernels: kernels)
        // Extra taps read offset 0 and are dropped.
        let offsets = plan.tapOffsets + [Int](repeating: 0, count: paddedTaps - taps)
        let cpg = g.inChannelsPerGroup, cin = g.inChannels, m = g.outChannelsPerGroup
        let length = plan.length, stride = plan.planeStride
        Conv2DWorkspace.grow(&workspace.partials, to: paddedOut * cpg * paddedTaps)
        let blocks = paddedOut / block, work = g.batch * paddedOut * cpg * paddedTaps * length
        workspace.padded.withUnsafeBufferPointer { padded in
        workspace.widened.withUnsafeBufferPointer { widened in
        workspace.partials.withUnsafeMutableBufferPointer { partials in
        offsets.withUnsafeBufferPointer { offsetBuffer in
            let x = UnsafeSendableBox(padded.baseAddress!), dy = UnsafeSendableBox(widened.baseAddress!)
            let sums = UnsafeSendableBox(partials.baseAddress!), off = UnsafeSendableBox(offsetBuffer.baseAddress!)
            let dw = UnsafeSendableBox(gradWeight)
            parallelFor(blocks, work: work) { b in
                let co0 = b * block, rows = sums.value + co0 * cpg * paddedTaps
                if g.isDepthwise {
                    ck_conv_weight_grad_single(kernels.isa, x.value + (co0 / m) * stride, cin * stride,
                                               dy.value + co0 * length, paddedOut * length,
                                               g.batch, off.value, paddedTaps, length, rows)
                } else {
                    ck_conv_weight_grad(kernels.isa, x.value, cin, stride, cin * stride,
                                        dy.value + co0 * length, block, length, paddedOut * length,
                                        g.batch, off.value, paddedTaps, length, rows)
                }
                for co in co0..<min(g.outChannels, co0 + block) {
                    for ci in 0..<cpg {
                        (dw.value + (co * cpg + ci) * taps).update(from: sums.value + (co * cpg + ci) * paddedTaps, count: taps)
                    }
                }
            }
        }
        }
        }
        }
    }

    /// Output-gradient planes at the padded row width, zero in the dropped
    /// columns, past the plane, and in the channels beyond the last.
    static func widenGradient(_ g: ConvGeometry, plan: FlatPaddedPlanes, gradOutput: UnsafePointer<Float>, channels: Int,
                              workspace: inout Conv2DWorkspace, kernels: ConvKernels) {
        let planes = g.batch * channels, length = plan.length
        Conv2DWorkspace.grow(&workspace.widened, to: planes * length)
        workspace.widened.withUnsafeMutableBufferPointer { widened in
            let src = UnsafeSendableBox(gradOutput), dst = UnsafeSendableBox(widened.baseAddress!)
            parallelFor(planes, work: planes * length) { p in
                let n = p / channels, co = p % channels
                if co < g.outChannels {
                    plan.widen(src.value + (n * g.outChannels + co) * g.outPlane, into: dst.value + p * length, kernels: kernels)
                } else {
                    (dst.value + p * length).update(repeating: 0, count: length)
                }
            }
        }
    }
}
