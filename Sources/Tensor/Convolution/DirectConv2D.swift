import CKernels

/// Convolutions computed straight from zero-padded planes by the C kernels
/// (see `FlatPaddedPlanes`), with no im2col matrix.
///
/// At 16–64 channels the im2col GEMMs are thin (M = Cout) and spend their
/// time packing a column matrix nine times the input; here every input vector
/// loaded feeds a block of output channels held in registers. The input
/// gradient is a forward convolution of the padded output gradient with the
/// flipped, transposed kernel, so it reuses the forward kernel. A strided
/// forward pass reads a phase split of the input (`FlatPaddedPlanes`); the
/// dense weight gradient steps through the input by the strides; a strided
/// input gradient stays on GEMM.
///
/// Results do not depend on scheduling: every output element and every
/// weight-gradient element is summed by exactly one task, in a fixed order.
enum DirectConv2D {
    /// The forward pass: dense or depthwise, any stride and padding. Dense
    /// 1×1 stride-1 kernels stay on GEMM, which needs no im2col for them.
    static func supports(_ g: ConvGeometry) -> Bool {
        let p = g.parameters
        guard g.isDepthwise || g.groups == 1 else { return false }
        return g.isDepthwise || g.kernelHeight * g.kernelWidth > 1 || p.strideHeight > 1 || p.strideWidth > 1
    }

    /// The weight gradient: the dense kernel steps through columns by 1 or,
    /// in runs of 3 taps, by 2; the depthwise one reads the phase split.
    static func supportsWeightGradient(_ g: ConvGeometry, kernels: ConvKernels = .best) -> Bool {
        let p = g.parameters
        guard supports(g) else { return false }
        return g.isDepthwise || p.strideWidth == 1 || (p.strideWidth == 2 && tapRunWidth(g, kernels: kernels) == 3)
    }

    /// 3 when every `tapBlock` taps of the dense weight gradient are whole
    /// rows of a 3-wide kernel (the fast tile), else 1.
    static func tapRunWidth(_ g: ConvGeometry, kernels: ConvKernels) -> Int {
        g.kernelWidth == 3 && (3 * g.kernelHeight) % kernels.tapBlock == 0 && kernels.tapBlock % 3 == 0 ? 3 : 1
    }

    /// The input gradient: also stride 1, and padding below the kernel size
    /// (so the input-gradient padding `k − 1 − pad` is not negative).
    static func supportsInputGradient(_ g: ConvGeometry) -> Bool {
        let p = g.parameters
        return supports(g) && p.strideHeight == 1 && p.strideWidth == 1
            && max(p.padTop, p.padBottom) < g.kernelHeight && max(p.padLeft, p.padRight) < g.kernelWidth
    }

    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: [Float]?,
                        output: UnsafeMutablePointer<Float>, workspace: inout Conv2DWorkspace,
                        kernels: ConvKernels = .best) {
        let plan = FlatPaddedPlanes(forward: g, kernels: kernels)
        let source = Source(pointer: input, channels: g.inChannels)
        if g.isDepthwise {
            // Depthwise weights [Cout, 1, kH, kW] are already one [taps] row per output.
            convolveSingle(plan, images: g.batch, source: source, outChannels: g.outChannels,
                           outputsPerSource: g.outChannelsPerGroup, sourcesPerOutput: 1,
                           weights: weight, bias: bias, output: output, workspace: &workspace, kernels: kernels)
        } else {
            let taps = plan.tapOffsets.count, cin = g.inChannels
            let blocks = ChannelBlocks(channels: g.outChannels, outputBlock: kernels.outputBlock)
            pack(weight, blocks: blocks, outChannels: g.outChannels, inChannels: cin, taps: taps, flipTransposed: false,
                 into: &workspace.packed)
            convolveBlocks(plan, images: g.batch, source: source, blocks: blocks, outChannels: g.outChannels,
                           bias: bias, output: output, workspace: &workspace, kernels: kernels)
        }
    }

    /// Overwrites `gradInput`; needs `supportsInputGradient(g)`.
    static func inputGradient(_ g: ConvGeometry, weight: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>, workspace: inout Conv2DWorkspace,
                              kernels: ConvKernels = .best) {
        let plan = FlatPaddedPlanes(inputGradient: g, kernels: kernels)
        let taps = plan.tapOffsets.count, cin = g.inChannels
        let source = Source(pointer: gradOutput, channels: g.outChannels)
        if g.isDepthwise {
            // Input channel ci collects output channels ci·m ..< ci·m + m, whose
            // flipped [taps] rows are consecutive.
            Conv2DWorkspace.grow(&workspace.packed, to: g.outChannels * taps)
            for co in 0..<g.outChannels { for t in 0..<taps { workspace.packed[co * taps + t] = weight[co * taps + taps - 1 - t] } }
            workspace.packed.withUnsafeBufferPointer { flipped in
                convolveSingle(plan, images: g.batch, source: source, outChannels: cin,
                               outputsPerSource: 1, sourcesPerOutput: g.outChannelsPerGroup,
                               weights: flipped.baseAddress!, bias: nil, output: gradInput, workspace: &workspace, kernels: kernels)
            }
        } else {
            let blocks = ChannelBlocks(channels: cin, outputBlock: kernels.outputBlock)
            pack(weight, blocks: blocks, outChannels: cin, inChannels: g.outChannels, taps: taps, flipTransposed: true,
                 into: &workspace.packed)
            convolveBlocks(plan, images: g.batch, source: source, blocks: blocks, outChannels: cin,
                           bias: nil, output: gradInput, workspace: &workspace, kernels: kernels)
        }
    }

    /// The planes a pass reads: `channels` planes per image, NCHW.
    struct Source {
        let pointer: UnsafePointer<Float>
        let channels: Int
    }

    /// Lays weights out block after block, each `[in][tap][out within block]`,
    /// the order `ck_conv_forward` broadcasts them in; padded channels are zero.
    /// `flipTransposed`: `weight` is the forward kernel and this packs its
    /// input-gradient kernel (in and out swapped, taps reversed).
    static func pack(_ weight: UnsafePointer<Float>, blocks: ChannelBlocks, outChannels: Int, inChannels: Int, taps: Int,
                     flipTransposed: Bool, into packed: inout [Float]) {
        let total = blocks.computedChannels * inChannels * taps
        guard total > 0 else { return }
        Conv2DWorkspace.grow(&packed, to: total)
        let offsets = blocks.packedOffsets(inChannels: inChannels, taps: taps)
        packed.withUnsafeMutableBufferPointer { dst in
            for (block, offset) in zip(blocks.blocks, offsets) {
                ck_pack_weights(weight, outChannels, inChannels, taps, block.first, block.count, block.width,
                                flipTransposed ? 1 : 0, dst.baseAddress! + offset)
            }
        }
    }

    /// Pads every source plane of the batch into `workspace.padded` (for the
    /// weight gradient, whose tasks each read every image).
    static func padSource(_ plan: FlatPaddedPlanes, images: Int, source: Source, workspace: inout Conv2DWorkspace,
                          kernels: ConvKernels) {
        let planes = images * source.channels, inPlane = plan.sourceHeight * plan.sourceWidth
        Conv2DWorkspace.grow(&workspace.padded, to: planes * plan.planeStride)
        workspace.padded.withUnsafeMutableBufferPointer { padded in
            let src = UnsafeSendableBox(source.pointer), dst = UnsafeSendableBox(padded.baseAddress!)
            parallelFor(planes, work: planes * plan.planeStride) { p in
                plan.pad(src.value + p * inPlane, into: dst.value + p * plan.planeStride, kernels: kernels)
            }
        }
    }

    /// Pads source planes `first ..< first + count` into `dst`, one after another.
    static func padPlanes(_ plan: FlatPaddedPlanes, source: UnsafePointer<Float>, first: Int, count: Int,
                          into dst: UnsafeMutablePointer<Float>, kernels: ConvKernels) {
        let inPlane = plan.sourceHeight * plan.sourceWidth
        for p in 0..<count { plan.pad(source + (first + p) * inPlane, into: dst + p * plan.planeStride, kernels: kernels) }
    }

    /// Dense pass: output channel `o` of image `n` sums over all source
    /// channels, with `blocks`' packed weights in `workspace.packed`. A task is
    /// one image × one block of output channels; tasks run image by image, and
    /// each chunk pads an image into its own scratch when it reaches it, so
    /// the padded planes are read from cache rather than from a batch-sized buffer.
    static func convolveBlocks(_ plan: FlatPaddedPlanes, images: Int, source: Source, blocks: ChannelBlocks,
                               outChannels: Int, bias: [Float]?, output: UnsafeMutablePointer<Float>,
                               workspace: inout Conv2DWorkspace, kernels: ConvKernels) {
        let blockCount = blocks.blocks.count
        let taps = plan.tapOffsets.count, cin = source.channels, length = plan.length
        let outPlane = plan.outHeight * plan.outWidth, imageFloats = cin * plan.planeStride
        let perChunk = imageFloats + kernels.outputBlock * length
        let tasks = images * blockCount, work = images * blocks.computedChannels * cin * taps * length
        let packedOffsets = blocks.packedOffsets(inChannels: cin, taps: taps)
        Conv2DWorkspace.grow(&workspace.tiles, to: parallelChunkCount(tasks, work: work) * perChunk)
        workspace.tiles.withUnsafeMutableBufferPointer { tiles in
        workspace.packed.withUnsafeBufferPointer { packed in
        plan.tapOffsets.withUnsafeBufferPointer { offsets in
            let scratch = UnsafeSendableBox(tiles.baseAddress!), src = UnsafeSendableBox(source.pointer)
            let w = UnsafeSendableBox(packed.baseAddress!), off = UnsafeSendableBox(offsets.baseAddress!)
            let y = UnsafeSendableBox(output)
            parallelChunks(tasks, work: work) { chunk, range in
                let padded = scratch.value + chunk * perChunk, tile = padded + imageFloats
                var paddedImage = -1
                for task in range {
                    let n = task / blockCount, b = task % blockCount, block = blocks.blocks[b]
                    if n != paddedImage {
                        padPlanes(plan, source: src.value, first: n * cin, count: cin, into: padded, kernels: kernels)
                        paddedImage = n
                    }
                    ck_conv_forward(kernels.isa, padded, cin, plan.planeStride,
                                    w.value + packedOffsets[b], taps, off.value, length, tile, length, block.width)
                    for c in 0..<block.count {
                        let o = block.first + c
                        plan.store(tile + c * length, into: y.value + (n * outChannels + o) * outPlane,
                                   bias: bias?[o] ?? 0, kernels: kernels)
                    }
                }
            }
        }
        }
        }
    }

    /// Depthwise pass: output channel `o` reads the `sourcesPerOutput` source
    /// channels from `(o / outputsPerSource) · sourcesPerOutput` on, with
    /// weights `[sourcesPerOutput][taps]` at `weights + o · sourcesPerOutput · taps`.
    /// A task is one output plane; it pads its source planes into the chunk's
    /// scratch, where they stay in L1.
    static func convolveSingle(_ plan: FlatPaddedPlanes, images: Int, source: Source, outChannels: Int,
                               outputsPerSource: Int, sourcesPerOutput: Int,
                               weights: UnsafePointer<Float>, bias: [Float]?, output: UnsafeMutablePointer<Float>,
                               workspace: inout Conv2DWorkspace, kernels: ConvKernels) {
        let taps = plan.tapOffsets.count, length = plan.length, stride = plan.planeStride
        let outPlane = plan.outHeight * plan.outWidth
        let perChunk = sourcesPerOutput * stride + length
        let tasks = images * outChannels, work = tasks * sourcesPerOutput * taps * length
        Conv2DWorkspace.grow(&workspace.tiles, to: parallelChunkCount(tasks, work: work) * perChunk)
        workspace.tiles.withUnsafeMutableBufferPointer { tiles in
        plan.tapOffsets.withUnsafeBufferPointer { offsets in
            let scratch = UnsafeSendableBox(tiles.baseAddress!), src = UnsafeSendableBox(source.pointer)
            let w = UnsafeSendableBox(weights), off = UnsafeSendableBox(offsets.baseAddress!)
            let y = UnsafeSendableBox(output)
            parallelChunks(tasks, work: work) { chunk, range in
                let padded = scratch.value + chunk * perChunk, tile = padded + sourcesPerOutput * stride
                for task in range {
                    let n = task / outChannels, o = task % outChannels
                    let first = n * source.channels + (o / outputsPerSource) * sourcesPerOutput
                    padPlanes(plan, source: src.value, first: first, count: sourcesPerOutput, into: padded, kernels: kernels)
                    ck_conv_forward_single(kernels.isa, padded, sourcesPerOutput, stride,
                                           w.value + o * sourcesPerOutput * taps, taps, off.value, length, tile)
                    plan.store(tile, into: y.value + task * outPlane, bias: bias?[o] ?? 0, kernels: kernels)
                }
            }
        }
        }
    }
}
