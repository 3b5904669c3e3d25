import CKernels

/// The layout the C kernels compute a stride-1 convolution on.
///
/// Each source plane is copied into a zero-padded plane `width` floats wide;
/// output position `i = oy·width + ox` then reads source `i + tapOffsets[t]`
/// for tap `t = ky·kW + kx`, so every tap is a single offset with no border
/// tests. The `width − outWidth` extra columns per row are computed and
/// dropped. `length` is rounded up to whole vectors so the kernels need no
/// masked remainders; `planeStride` leaves room for the reads past the last row.
struct FlatPaddedPlanes {
    let sourceHeight: Int, sourceWidth: Int
    let padTop: Int, padLeft: Int
    let width: Int
    let outHeight: Int, outWidth: Int
    /// Output positions computed per plane (a multiple of `lengthQuantum`).
    let length: Int
    /// Floats between consecutive padded planes.
    let planeStride: Int
    let tapOffsets: [Int]

    init(sourceHeight: Int, sourceWidth: Int, kernelHeight kh: Int, kernelWidth kw: Int,
         padTop: Int, padLeft: Int, padBottom: Int, padRight: Int, kernels: ConvKernels) {
        self.sourceHeight = sourceHeight; self.sourceWidth = sourceWidth
        self.padTop = padTop; self.padLeft = padLeft
        width = sourceWidth + padLeft + padRight
        let height = sourceHeight + padTop + padBottom
        outHeight = height - kh + 1
        outWidth = width - kw + 1
        precondition(outHeight > 0 && outWidth > 0, "empty convolution output")
        length = roundUp(outHeight * width, to: kernels.vectorWidth)
        let lastRead = length + (kh - 1) * width + (kw - 1)
        planeStride = roundUp(max(height * width, lastRead), to: kernels.vectorWidth)
        var offsets: [Int] = []
        for ky in 0..<kh { for kx in 0..<kw { offsets.append(ky * width + kx) } }
        tapOffsets = offsets
    }

    /// The forward pass: the input padded as the parameters say.
    init(forward g: ConvGeometry, kernels: ConvKernels) {
        let p = g.parameters
        self.init(sourceHeight: g.inHeight, sourceWidth: g.inWidth, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth,
                  padTop: p.padTop, padLeft: p.padLeft, padBottom: p.padBottom, padRight: p.padRight, kernels: kernels)
    }

    /// The input gradient of a stride-1 convolution is a convolution of the
    /// output gradient, padded by `k − 1 − pad` per side, with the kernel
    /// flipped; its output is exactly the input's size.
    init(inputGradient g: ConvGeometry, kernels: ConvKernels) {
        let p = g.parameters, kh = g.kernelHeight, kw = g.kernelWidth
        self.init(sourceHeight: g.outHeight, sourceWidth: g.outWidth, kernelHeight: kh, kernelWidth: kw,
                  padTop: kh - 1 - p.padTop, padLeft: kw - 1 - p.padLeft,
                  padBottom: kh - 1 - p.padBottom, padRight: kw - 1 - p.padRight, kernels: kernels)
    }

    /// Copies one source plane into its padded form at `dst` (`planeStride` floats).
    func pad(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, kernels: ConvKernels) {
        ck_pad_plane(kernels.isa, src, sourceHeight, sourceWidth, padTop, padLeft, width, planeStride, dst)
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
