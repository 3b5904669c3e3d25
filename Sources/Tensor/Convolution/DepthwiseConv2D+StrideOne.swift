/// Stride-1 depthwise kernels on zero-padded planes.
///
/// Computing on the padded width turns every kernel tap into one flat loop
/// over `outH · Wp` elements (`acc[i] += w · src[i + ky·Wp + kx]`) with no
/// border tests, instead of `outH · kW` short row loops with range
/// arithmetic; the extra `Wp − outW` columns per row are computed and dropped.
/// Scratch planes are allocated once per worker range, not per plane.
extension DepthwiseConv2D {
    /// Padded plane geometry shared by the three passes.
    struct PaddedPlane {
        let height: Int, width: Int  // padded input plane
        let length: Int              // outH · width: the flat loop length
        let slack: Int               // the last tap reads up to kW − 1 past the plane
        init(_ g: ConvGeometry) {
            height = g.inHeight + g.parameters.padTop + g.parameters.padBottom
            width = g.inWidth + g.parameters.padLeft + g.parameters.padRight
            length = g.outHeight * width
            slack = g.kernelWidth
        }
        var capacity: Int { height * width + slack }
    }

    /// Copies an input plane into the zeroed interior of a padded plane.
    @inline(__always)
    static func pad(_ g: ConvGeometry, _ pp: PaddedPlane, from plane: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        padded.update(repeating: 0, count: pp.capacity)
        let pt = g.parameters.padTop, pl = g.parameters.padLeft
        for iy in 0..<g.inHeight {
            (padded + (iy + pt) * pp.width + pl).update(from: plane + iy * g.inWidth, count: g.inWidth)
        }
    }

    /// Copies an output-gradient plane into padded-width rows, zeros in the extra columns,
    /// so those columns contribute nothing when used as a GEMM-free operand.
    @inline(__always)
    static func widen(_ g: ConvGeometry, _ pp: PaddedPlane, from plane: UnsafePointer<Float>, into rows: UnsafeMutablePointer<Float>) {
        rows.update(repeating: 0, count: pp.length)
        for oy in 0..<g.outHeight {
            (rows + oy * pp.width).update(from: plane + oy * g.outWidth, count: g.outWidth)
        }
    }

    static func forwardStrideOne(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                 output: UnsafeMutablePointer<Float>) {
        let pp = PaddedPlane(g), taps = g.kernelHeight * g.kernelWidth, kw = g.kernelWidth, m = g.outChannelsPerGroup
        let x = UnsafeSendableBox(input), w = UnsafeSendableBox(weight), y = UnsafeSendableBox(output)
        parallelForRanges(g.batch * g.outChannels, work: g.batch * g.outChannels * pp.length * taps,
                          scratch: pp.capacity + pp.length) { jobs, scratch in
            for job in jobs {
                let n = job / g.outChannels, co = job % g.outChannels
                let padded = scratch, acc = padded + pp.capacity
                pad(g, pp, from: x.value + (n * g.inChannels + co / m) * g.inPlane, into: padded)
                acc.update(repeating: 0, count: pp.length)
                // Three taps of a kernel row per pass: a third of the loads and
                // stores of `acc`, which bound this loop.
                let k = w.value + co * taps
                for ky in 0..<g.kernelHeight {
                    let row = padded + ky * pp.width
                    var kx = 0
                    while kx + 3 <= kw {
                        let w0 = k[ky * kw + kx], w1 = k[ky * kw + kx + 1], w2 = k[ky * kw + kx + 2]
                        let src = row + kx
                        for i in 0..<pp.length { acc[i] += w0 * src[i] + w1 * src[i + 1] + w2 * src[i + 2] }
                        kx += 3
                    }
                    while kx < kw {
                        let wv = k[ky * kw + kx], src = row + kx
                        for i in 0..<pp.length { acc[i] += wv * src[i] }
                        kx += 1
                    }
                }
                let out = y.value + job * g.outPlane
                for oy in 0..<g.outHeight {
                    let line = out + oy * g.outWidth, a = acc + oy * pp.width
                    for ox in 0..<g.outWidth { line[ox] += a[ox] }
                }
            }
        }
    }

    static func backwardInputStrideOne(_ g: ConvGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                       gradInput: UnsafeMutablePointer<Float>) {
        let pp = PaddedPlane(g), taps = g.kernelHeight * g.kernelWidth, kw = g.kernelWidth, m = g.outChannelsPerGroup
        let pt = g.parameters.padTop, pl = g.parameters.padLeft
        let dyBox = UnsafeSendableBox(gradOutput), w = UnsafeSendableBox(weight), dxBox = UnsafeSendableBox(gradInput)
        parallelForRanges(g.batch * g.inChannels, work: g.batch * g.outChannels * pp.length * taps,
                          scratch: pp.capacity + pp.length) { jobs, scratch in
            for job in jobs {
                let n = job / g.inChannels, ci = job % g.inChannels
                let dxPad = scratch, rows = dxPad + pp.capacity
                dxPad.update(repeating: 0, count: pp.capacity)
                for j in 0..<m {
                    let co = ci * m + j
                    widen(g, pp, from: dyBox.value + (n * g.outChannels + co) * g.outPlane, into: rows)
                    for t in 0..<taps {
                        let wv = w.value[co * taps + t]
                        let dst = dxPad + (t / kw) * pp.width + t % kw
                        for i in 0..<pp.length { dst[i] += wv * rows[i] }
                    }
                }
                let plane = dxBox.value + job * g.inPlane
                for iy in 0..<g.inHeight {
                    (plane + iy * g.inWidth).update(from: dxPad + (iy + pt) * pp.width + pl, count: g.inWidth)
                }
            }
        }
    }

    static func backwardWeightStrideOne(_ g: ConvGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                        gradWeight: UnsafeMutablePointer<Float>) {
        let pp = PaddedPlane(g), taps = g.kernelHeight * g.kernelWidth, kw = g.kernelWidth, m = g.outChannelsPerGroup
        let x = UnsafeSendableBox(input), dyBox = UnsafeSendableBox(gradOutput), dwBox = UnsafeSendableBox(gradWeight)
        parallelForRanges(g.outChannels, work: g.batch * g.outChannels * pp.length * taps,
                          scratch: pp.capacity + pp.length + taps) { channels, scratch in
            for co in channels {
                let padded = scratch, rows = padded + pp.capacity, sums = rows + pp.length
                sums.update(repeating: 0, count: taps)
                for n in 0..<g.batch {
                    pad(g, pp, from: x.value + (n * g.inChannels + co / m) * g.inPlane, into: padded)
                    widen(g, pp, from: dyBox.value + (n * g.outChannels + co) * g.outPlane, into: rows)
                    for t in 0..<taps {
                        sums[t] += dotProduct(rows, padded + (t / kw) * pp.width + t % kw, count: pp.length)
                    }
                }
                (dwBox.value + co * taps).update(from: sums, count: taps)
            }
        }
    }

    /// Eight independent partial sums: a plain `sum += a[i]·b[i]` loop is a
    /// serial dependency chain the compiler may not reorder (no fast-math).
    @inline(__always)
    static func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= count {
            acc += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                 * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var sum = acc.sum()
        while i < count { sum += a[i] * b[i]; i += 1 }
        return sum
    }
}
