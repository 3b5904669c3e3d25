import CKernels

extension DirectConv2D {
    /// `dW[co, ci, t] = Σ_n Σ_(oy,ox) dY[n, co, oy, ox] · Xpad[n, ci, oy·sh·Wp + ox·sw + offset(t)]`.
    ///
    /// Each weight-gradient element is summed by one task over images,
    /// then positions, in order, so no partial sums from different tasks are
    /// ever added and the result does not depend on the core count.
    /// Overwrites `gradWeight`; needs `supportsWeightGradient(g, kernels:)`.
    static func weightGradient(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, workspace: inout Conv2DWorkspace,
                               kernels: ConvKernels = .best) {
        let plan = g.isDepthwise ? FlatPaddedPlanes(forward: g, kernels: kernels)
                                 : FlatPaddedPlanes(weightGradient: g, kernels: kernels)
        let taps = plan.tapOffsets.count
        let paddedTaps = roundUp(taps, to: g.isDepthwise ? kernels.singleTapBlock : kernels.tapBlock)
        // Extra taps read offset 0 and are dropped.
        let offsets = plan.tapOffsets + [Int](repeating: 0, count: paddedTaps - taps)
        if g.isDepthwise {
            depthwiseWeightGradient(g, plan: plan, input: input, gradOutput: gradOutput, offsets: offsets,
                                    gradWeight: gradWeight, workspace: &workspace, kernels: kernels)
        } else {
            padSource(plan, images: g.batch, source: Source(pointer: input, channels: g.inChannels),
                      workspace: &workspace, kernels: kernels)
            denseWeightGradient(g, plan: plan, gradOutput: gradOutput, offsets: offsets, gradWeight: gradWeight,
                                workspace: &workspace, kernels: kernels)
        }
    }

    /// Output channels in the vector lanes: the output gradient is first
    /// interleaved into `[n][position][channel]` rows (channels padded to a
    /// whole `gradientLanes`); a task is a block of `gradientLanes` output
    /// channels × a range of input channels.
    static func denseWeightGradient(_ g: ConvGeometry, plan: FlatPaddedPlanes, gradOutput: UnsafePointer<Float>,
                                    offsets: [Int], gradWeight: UnsafeMutablePointer<Float>,
                                    workspace: inout Conv2DWorkspace, kernels: ConvKernels) {
        let lanes = kernels.gradientLanes, paddedOut = roundUp(g.outChannels, to: lanes), blocks = paddedOut / lanes
        let P = g.outPlane, cin = g.inChannels, taps = plan.tapOffsets.count, paddedTaps = offsets.count
        let stride = plan.planeStride
        let runWidth = tapRunWidth(g, kernels: kernels)
        Conv2DWorkspace.grow(&workspace.interleaved, to: g.batch * P * paddedOut)
        workspace.interleaved.withUnsafeMutableBufferPointer { rows in
            let src = UnsafeSendableBox(gradOutput), dst = UnsafeSendableBox(rows.baseAddress!)
            parallelFor(g.batch, work: g.batch * P * paddedOut) { n in
                ck_interleave_channels(kernels.isa, src.value + n * g.outChannels * P, g.outChannels, P, paddedOut,
                                       dst.value + n * P * paddedOut)
            }
        }
        Conv2DWorkspace.grow(&workspace.partials, to: blocks * cin * paddedTaps * lanes)
        let items = blocks * cin, work = g.batch * items * paddedTaps * lanes * P
        workspace.padded.withUnsafeBufferPointer { padded in
        workspace.interleaved.withUnsafeBufferPointer { rows in
        workspace.partials.withUnsafeMutableBufferPointer { partials in
        offsets.withUnsafeBufferPointer { offsetBuffer in
            let x = UnsafeSendableBox(padded.baseAddress!), dy = UnsafeSendableBox(rows.baseAddress!)
            let sums = UnsafeSendableBox(partials.baseAddress!), off = UnsafeSendableBox(offsetBuffer.baseAddress!)
            // Few, large chunks: each streams the whole output gradient once per block.
            parallelChunks(items, work: work, maxChunks: processorCount * 2) { _, range in
                var item = range.lowerBound
                while item < range.upperBound {
                    let b = item / cin, first = item % cin, end = min(cin, first + range.upperBound - item)
                    ck_conv_weight_grad(kernels.isa, x.value + first * stride, end - first, stride, cin * stride,
                                        dy.value + b * lanes, paddedOut, P * paddedOut,
                                        g.batch, g.outHeight, g.outWidth, plan.width,
                                        g.parameters.strideHeight, g.parameters.strideWidth,
                                        off.value, paddedTaps, runWidth, sums.value + (b * cin + first) * paddedTaps * lanes)
                    item += end - first
                }
            }
            for co in 0..<g.outChannels {
                let b = co / lanes, lane = co % lanes
                for ci in 0..<cin {
                    for t in 0..<taps {
                        gradWeight[(co * cin + ci) * taps + t] = sums.value[((b * cin + ci) * paddedTaps + t) * lanes + lane]
                    }
                }
            }
        }
        }
        }
        }
    }

    /// One task per output channel, positions in the vector lanes. A task pads
    /// its channel's input planes and widens its gradient planes, for every
    /// image, into the chunk's scratch, where they stay in cache for the sums.
    static func depthwiseWeightGradient(_ g: ConvGeometry, plan: FlatPaddedPlanes, input: UnsafePointer<Float>,
                                        gradOutput: UnsafePointer<Float>, offsets: [Int],
                                        gradWeight: UnsafeMutablePointer<Float>,
                                        workspace: inout Conv2DWorkspace, kernels: ConvKernels) {
        let length = plan.length, stride = plan.planeStride
        let taps = plan.tapOffsets.count, paddedTaps = offsets.count
        let m = g.outChannelsPerGroup, inPlane = g.inPlane, outPlane = g.outPlane
        let perChunk = g.batch * (stride + length) + paddedTaps
        let work = g.batch * g.outChannels * paddedTaps * length
        Conv2DWorkspace.grow(&workspace.tiles, to: parallelChunkCount(g.outChannels, work: work) * perChunk)
        workspace.tiles.withUnsafeMutableBufferPointer { tiles in
        offsets.withUnsafeBufferPointer { offsetBuffer in
            let scratch = UnsafeSendableBox(tiles.baseAddress!), off = UnsafeSendableBox(offsetBuffer.baseAddress!)
            let x = UnsafeSendableBox(input), dy = UnsafeSendableBox(gradOutput), dw = UnsafeSendableBox(gradWeight)
            parallelChunks(g.outChannels, work: work) { chunk, channels in
                let padded = scratch.value + chunk * perChunk, widened = padded + g.batch * stride
                let sums = widened + g.batch * length
                for co in channels {
                    for n in 0..<g.batch {
                        plan.pad(x.value + (n * g.inChannels + co / m) * inPlane, into: padded + n * stride, kernels: kernels)
                        plan.widen(dy.value + (n * g.outChannels + co) * outPlane, into: widened + n * length, kernels: kernels)
                    }
                    ck_conv_weight_grad_single(kernels.isa, padded, stride, widened, length,
                                               g.batch, off.value, paddedTaps, length, sums)
                    (dw.value + co * taps).update(from: sums, count: taps)
                }
            }
        }
        }
    }
}
