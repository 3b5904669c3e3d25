import CKernels

/// The layout the C kernels compute a convolution on.
///
/// Each source plane is copied into a zero-padded plane `width` floats wide;
/// output position `i = oy·width + ox` then reads source `i + tapOffsets[t]`
/// for tap `t = ky·kW + kx`, so every tap is a single offset with no border
/// tests. The `width − outWidth` extra columns per row are computed and
/// dropped. `length` is rounded up to whole vectors so the kernels need no
/// masked remainders; `planeStride` leaves room for the reads past the last row.
///
/// Rows share their padding columns: a read past a row's right edge lands in
/// the next row's left padding, which is zero too, so a row is only
/// `max(padLeft, padRight)` wider than the source (and at least `outWidth`).
/// A 7×7 plane padded by 1 is 8 wide rather than 9: 56 positions computed
/// for 49 outputs rather than 64, and 28×28 is 29 wide rather than 30.
///
/// A strided convolution is split into phases first: phase (a, b) holds the
/// padded rows `a, a + sh, …` and columns `b, b + sw, …`, so output (oy, ox)
/// reads tap (ky, kx) at row `oy + ky / sh`, column `ox + kx / sw` of phase
/// (ky mod sh, kx mod sw) — a stride-1 read again, and the same kernels run
/// on it with each tap's offset pointing into its phase. Only the phases some
/// tap reads are stored (one for a 1×1 stride-2 kernel, four for 3×3).
struct FlatPaddedPlanes {
    let sourceHeight: Int, sourceWidth: Int
    let padTop: Int, padLeft: Int
    let strideHeight: Int, strideWidth: Int
    /// Floats per row of a (phase) plane.
    let width: Int
    let outHeight: Int, outWidth: Int
    /// Output positions computed per plane (a whole number of vectors).
    let length: Int
    /// Floats between consecutive phases of one source plane.
    let phaseStride: Int
    /// The stored phases, `[a0, b0, a1, b1, …]`, in the order they are laid out.
    let phases: [Int]
    /// Floats between consecutive padded source planes (all their phases).
    let planeStride: Int
    let tapOffsets: [Int]

    init(sourceHeight: Int, sourceWidth: Int, kernelHeight kh: Int, kernelWidth kw: Int,
         strideHeight sh: Int = 1, strideWidth sw: Int = 1,
         padTop: Int, padLeft: Int, padBottom: Int, padRight: Int, kernels: ConvKernels) {
        precondition(sh >= 1 && sw >= 1, "stride must be positive")
        self.sourceHeight = sourceHeight; self.sourceWidth = sourceWidth
        self.padTop = padTop; self.padLeft = padLeft
        strideHeight = sh; strideWidth = sw
        let paddedHeight = sourceHeight + padTop + padBottom, paddedWidth = sourceWidth + padLeft + padRight
        outHeight = paddedHeight >= kh ? (paddedHeight - kh) / sh + 1 : 0
        outWidth = paddedWidth >= kw ? (paddedWidth - kw) / sw + 1 : 0
        precondition(outHeight > 0 && outWidth > 0, "empty convolution output")
        if sh == 1 && sw == 1 {
            width = sourceWidth + max(padLeft, padRight, padLeft + padRight - kw + 1)
        } else {
            width = (paddedWidth + sw - 1) / sw
        }
        let rows = (paddedHeight + sh - 1) / sh
        length = roundUp(outHeight * width, to: kernels.vectorWidth)
        let lastRead = length + (kh - 1) / sh * width + (kw - 1) / sw
        phaseStride = roundUp(max(rows * width, lastRead), to: kernels.vectorWidth)
        var phases: [Int] = [], offsets: [Int] = []
        for ky in 0..<kh {
            for kx in 0..<kw {
                let a = ky % sh, b = kx % sw
                var index = 0
                while index < phases.count / 2 && (phases[2 * index] != a || phases[2 * index + 1] != b) { index += 1 }
                if index == phases.count / 2 { phases += [a, b] }
                offsets.append(index * phaseStride + ky / sh * width + kx / sw)
            }
        }
        self.phases = phases
        planeStride = phases.count / 2 * phaseStride
        tapOffsets = offsets
    }

    /// The forward pass (and the depthwise weight gradient, which reads the
    /// same planes): the input padded as the parameters say, split into
    /// phases when strided.
    init(forward g: ConvGeometry, kernels: ConvKernels) {
        let p = g.parameters
        self.init(sourceHeight: g.inHeight, sourceWidth: g.inWidth, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth,
                  strideHeight: p.strideHeight, strideWidth: p.strideWidth,
                  padTop: p.padTop, padLeft: p.padLeft, padBottom: p.padBottom, padRight: p.padRight, kernels: kernels)
    }

    /// The dense weight gradient: the input padded but not split, since
    /// `ck_conv_weight_grad` steps through it by the strides itself (its taps
    /// must be runs of adjacent columns, which a phase split would scatter).
    init(weightGradient g: ConvGeometry, kernels: ConvKernels) {
        let p = g.parameters
        self.init(sourceHeight: g.inHeight, sourceWidth: g.inWidth, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth,
                  padTop: p.padTop, padLeft: p.padLeft, padBottom: p.padBottom, padRight: p.padRight, kernels: kernels)
    }

    /// The input gradient of a stride-1 convolution is a convolution of the
    /// output gradient, padded by `k − 1 − pad` per side, with the kernel
    /// flipped; its output is exactly the input's size.
    init(inputGradient g: ConvGeometry, kernels: ConvKernels) {
        let p = g.parameters, kh = g.kernelHeight, kw = g.kernelWidth
        precondition(p.strideHeight == 1 && p.strideWidth == 1, "the direct input gradient is stride 1 only")
        self.init(sourceHeight: g.outHeight, sourceWidth: g.outWidth, kernelHeight: kh, kernelWidth: kw,
                  padTop: kh - 1 - p.padTop, padLeft: kw - 1 - p.padLeft,
                  padBottom: kh - 1 - p.padBottom, padRight: kw - 1 - p.padRight, kernels: kernels)
    }

    /// Copies one source plane into its padded form at `dst` (`planeStride` floats).
    func pad(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, kernels: ConvKernels) {
        if strideHeight == 1 && strideWidth == 1 {
            ck_pad_plane(kernels.isa, src, sourceHeight, sourceWidth, padTop, padLeft, width, planeStride, dst)
        } else {
            phases.withUnsafeBufferPointer { phases in
                ck_pad_phases(src, sourceHeight, sourceWidth, padTop, padLeft, strideHeight, strideWidth,
                              phases.baseAddress!, phases.count / 2, width, phaseStride, dst)
            }
        }
    }

    /// Copies an output-shaped plane (e.g. the output gradient) into rows
    /// `width` apart with zeros elsewhere (`length` floats): aligned with the
    /// flat positions, and adding nothing where outputs are dropped.
    func widen(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, kernels: ConvKernels) {
        ck_pad_plane(kernels.isa, src, outHeight, outWidth, 0, 0, width, length, dst)
    }

    /// Writes a computed flat plane to a dense `outHeight × outWidth` plane, plus `bias`.
    func store(_ flat: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, bias: Float, kernels: ConvKernels) {
        ck_store_rows(kernels.isa, flat, width, outHeight, outWidth, bias, dst)
    }
}

@inline(__always)
func roundUp(_ value: Int, to multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }
