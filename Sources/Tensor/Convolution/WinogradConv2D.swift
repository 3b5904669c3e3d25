import CKernels

/// Dense 3×3 stride-1 convolutions by Winograd F(2×2, 3×3): each 2×2 output
/// tile is `Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A` (the transforms are in Winograd.c).
///
/// Per (input channel, output channel, image) a 7×7 plane costs 16 tiles × 16
/// products = 256 multiply-adds against 441 direct, an even plane 4/9 of the
/// direct count; and the 16 products of every tile are 16 independent GEMMs
/// over channels, which OpenBLAS runs near its peak once channels are in the
/// hundreds. With T tiles in a chunk of images:
/// - forward: `M[ξ] (Cout×T) = U[ξ] (Cout×Cin) · V[ξ] (Cin×T)`, U the
///   transformed weights (again on every call: AdaRound changes them every
///   step), V the transformed input patches; then `Y = Aᵀ M A` per tile;
/// - input gradient: `dV[ξ] = U[ξ]ᵀ · dM[ξ]` with `dM = A dY Aᵀ`, then
///   `dX = Σ B dV Bᵀ` over the overlapping patches;
/// - weight gradient: `dU[ξ] = Σ_chunks dM[ξ] · V[ξ]ᵀ` (K = T), then `dg = Gᵀ dU G`.
///
/// Tiles past the plane's edge (odd sizes) are computed on zeros and cropped.
/// The 16 GEMMs are tasks of one `parallelFor` (`forEachMatrix`); the
/// transforms are split over the workers by whole planes.
///
/// Results do not depend on scheduling: each transform task owns whole planes
/// and sums in a fixed order, chunks of images are a function of the shapes
/// and the workspace's budget only, and each GEMM is one `BLAS.sgemm` call,
/// whose panels are fixed and whose OpenBLAS runs single-threaded.
///
/// Accuracy: the transforms add, subtract and halve up to nine values per
/// element, so rounding grows with the magnitudes inside a tile rather than
/// with the result. `WinogradConvolutionTests` bounds the error at 1e-5 of
/// the tensor's largest value; measured at most 5.1e-7 (512 input channels,
/// 7×7, against the Double reference).
enum WinogradConv2D {
    /// Transformed matrices per tile: a 4×4 tile has 16 elements.
    static let matrices = 16

    /// Floats from one transformed matrix of `count` floats to the next: whole
    /// 4 KiB pages plus 256 bytes, so that the 16 elements of a tile, written
    /// and read together, fall in 16 different cache sets. At exact powers of
    /// two (a 512 × 512 matrix is 1 MiB) all 16 would share one set and evict
    /// each other; this measured 4× faster transforms at block8's size.
    static func matrixStride(_ count: Int) -> Int { roundUp(count, to: 1024) + 64 }

    /// Where the algorithm applies: a dense 3×3 kernel at stride 1 (this
    /// module has no dilation), padding at most 2 on every side.
    static func supports(_ g: ConvGeometry) -> Bool {
        let p = g.parameters
        return g.groups == 1 && g.kernelHeight == 3 && g.kernelWidth == 3
            && p.strideHeight == 1 && p.strideWidth == 1
            && max(p.padTop, p.padLeft, p.padBottom, p.padRight) <= 2
    }

    /// Where it is used instead of the direct kernels, from measurements
    /// (forward + both gradients, batch 32, 2 cores; docs/benchmarks.md): both
    /// channel counts at least 256, or at least 128 on output planes of at
    /// most 28×28. The transforms cost in proportion to the channels, the
    /// GEMMs to their square, and the GEMMs reach OpenBLAS's peak only with a
    /// few hundred channels; the direct kernels, which keep a block of output
    /// channels in registers, get faster on long rows.
    ///
    /// Winograd's speed over the direct kernels': 1.53× at 512 channels 7×7,
    /// 1.75× at 512 14×14, 1.31–1.50× at 256 on 7×7 to 56×56; at 128, 1.04×
    /// on 7×7, 1.12× on 14×14, 1.10× on 28×28 (ResNet-18's block4 step 1.10×)
    /// but 0.89× on 40×40 and 0.91× on 56×56; 0.74–0.81× at 96 and 112
    /// channels, 0.78× at 64 channels 56×56 (ResNet-18's block1) and
    /// 0.38–0.72× at ResNet-20's 16–64 channels.
    static func isChosen(_ g: ConvGeometry) -> Bool {
        guard supports(g) else { return false }
        let channels = min(g.inChannels, g.outChannels)
        return channels >= 256 || (channels >= 128 && g.outPlane <= 28 * 28)
    }

    /// Tile grid of one plane: `ceil(outHeight / 2) × ceil(outWidth / 2)`.
    struct Tiling {
        let rows: Int, cols: Int
        var perImage: Int { rows * cols }
        /// Scratch floats one transform task needs (the most any of Winograd.c's
        /// functions asks for): a plane zero-padded to whole 4×4 patches and
        /// the patches of one row of tiles.
        var scratch: Int { (2 * rows + 2) * (2 * cols + 2) + 16 * cols }
        init(_ g: ConvGeometry) {
            rows = (g.outHeight + 1) / 2
            cols = (g.outWidth + 1) / 2
        }
    }

    static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: [Float]?,
                        output: UnsafeMutablePointer<Float>, workspace: inout Conv2DWorkspace) {
        let tiling = Tiling(g), cin = g.inChannels, cout = g.outChannels
        transformWeights(g, weight: weight, workspace: &workspace)
        workspace.forEachWinogradChunk(g, tilesPerImage: tiling.perImage) { n0, s, u, v, m, scratch in
            let T = s * tiling.perImage, sU = matrixStride(cout * cin), sV = matrixStride(cin * T), sM = matrixStride(cout * T)
            transformInput(g, tiling, input: input, firstImage: n0, images: s, tiles: v, scratch: scratch)
            forEachMatrix(work: cout * T * cin) { xi in
                BLAS.sgemm(m: cout, n: T, k: cin, a: u + xi * sU, lda: cin, b: v + xi * sV, ldb: T,
                           beta: 0, c: m + xi * sM, ldc: T)
            }
            // Planes image-fastest, as the transforms below: consecutive tasks read whole cache lines.
            let src = UnsafeSendableBox(UnsafePointer(m)), y = UnsafeSendableBox(output)
            parallelFor(s * cout, work: s * cout * matrices * tiling.perImage) { plane in
                let co = plane / s, j = plane % s
                ck_winograd_output_tiles(src.value + co * T + j * tiling.perImage, sM, tiling.rows, tiling.cols,
                                         g.outHeight, g.outWidth, bias?[co] ?? 0,
                                         y.value + ((n0 + j) * cout + co) * g.outPlane)
            }
        }
    }

    /// Either gradient may be nil (not computed). Both are overwritten.
    static func backward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                         gradOutput: UnsafePointer<Float>,
                         gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                         workspace: inout Conv2DWorkspace) {
        let tiling = Tiling(g), cin = g.inChannels, cout = g.outChannels
        // With the whole batch in one chunk, the input gradient leaves the
        // transformed output gradient in the products buffer for the weight gradient.
        var wholeBatchGradientTiles = false
        if let gradInput {
            transformWeights(g, weight: weight, workspace: &workspace)
            workspace.forEachWinogradChunk(g, tilesPerImage: tiling.perImage) { n0, s, u, dv, dm, scratch in
                let T = s * tiling.perImage, sU = matrixStride(cout * cin), sV = matrixStride(cin * T)
                let sM = matrixStride(cout * T)
                transformGradient(g, tiling, gradOutput: gradOutput, firstImage: n0, images: s, tiles: dm)
                wholeBatchGradientTiles = s == g.batch
                forEachMatrix(work: cout * T * cin) { xi in
                    BLAS.sgemm(transA: .transpose, m: cin, n: T, k: cout, a: u + xi * sU, lda: cin,
                               b: dm + xi * sM, ldb: T, beta: 0, c: dv + xi * sV, ldc: T)
                }
                let src = UnsafeSendableBox(UnsafePointer(dv)), dx = UnsafeSendableBox(gradInput)
                let scratchBox = UnsafeSendableBox(scratch)
                parallelChunks(s * cin, work: s * cin * matrices * tiling.perImage) { chunk, planes in
                    let pad = scratchBox.value + chunk * tiling.scratch
                    for plane in planes {
                        let ci = plane / s, j = plane % s
                        ck_winograd_input_gradient(src.value + ci * T + j * tiling.perImage, sV,
                                                   tiling.rows, tiling.cols, g.inHeight, g.inWidth,
                                                   g.parameters.padTop, g.parameters.padLeft, pad,
                                                   dx.value + ((n0 + j) * cin + ci) * g.inPlane)
                    }
                }
            }
        }
        guard let gradWeight else { return }
        // dU accumulates over chunks in the weights buffer (U is no longer needed).
        workspace.forEachWinogradChunk(g, tilesPerImage: tiling.perImage) { n0, s, du, v, dm, scratch in
            let T = s * tiling.perImage, sU = matrixStride(cout * cin), sV = matrixStride(cin * T), sM = matrixStride(cout * T)
            if !wholeBatchGradientTiles {
                transformGradient(g, tiling, gradOutput: gradOutput, firstImage: n0, images: s, tiles: dm)
            }
            transformInput(g, tiling, input: input, firstImage: n0, images: s, tiles: v, scratch: scratch)
            forEachMatrix(work: cout * T * cin) { xi in
                BLAS.sgemm(transB: .transpose, m: cout, n: cin, k: T, a: dm + xi * sM, lda: T,
                           b: v + xi * sV, ldb: T, beta: n0 == 0 ? 0 : 1, c: du + xi * sU, ldc: cin)
            }
        }
        workspace.winogradWeights.withUnsafeBufferPointer { du in
            let src = UnsafeSendableBox(du.baseAddress!), dw = UnsafeSendableBox(gradWeight)
            parallelFor(cout, work: cout * cin * matrices) { co in
                ck_winograd_weight_gradient(src.value + co * cin, matrixStride(cout * cin), 1, cin, dw.value + co * cin * 9)
            }
        }
    }

    /// Runs `body` for each of the 16 matrices (one GEMM of `work`
    /// multiply-adds each), spread over the workers. Measured against the 16
    /// GEMMs one after another, each split into column panels by
    /// `BLAS.sgemm`: 1.54× against 1.50× the direct kernels' speed at block8,
    /// 1.48× against 1.08× at 256 channels 14×14, where 784-column chunks
    /// split into uneven panels and the 256 × 256 weight gradient not at all.
    static func forEachMatrix(work: Int, _ body: (Int) -> Void) {
        parallelFor(matrices, work: matrices * work, body)
    }

    /// `U[ξ] = (G g Gᵀ)[ξ]` as `[Cout × Cin]` matrices in `workspace.winogradWeights`.
    static func transformWeights(_ g: ConvGeometry, weight: UnsafePointer<Float>, workspace: inout Conv2DWorkspace) {
        let cin = g.inChannels, cout = g.outChannels
        Conv2DWorkspace.grow(&workspace.winogradWeights, to: matrices * matrixStride(cout * cin))
        workspace.winogradWeights.withUnsafeMutableBufferPointer { u in
            let dst = UnsafeSendableBox(u.baseAddress!), w = UnsafeSendableBox(weight)
            parallelFor(cout, work: cout * cin * matrices) { co in
                ck_winograd_weights(w.value + co * cin * 9, 1, cin, dst.value + co * cin, matrixStride(cout * cin))
            }
        }
    }

    /// `V[ξ] = (Bᵀ d B)[ξ]` of images `firstImage ..< firstImage + images` as `[Cin × T]` matrices.
    static func transformInput(_ g: ConvGeometry, _ tiling: Tiling, input: UnsafePointer<Float>,
                               firstImage n0: Int, images s: Int, tiles: UnsafeMutablePointer<Float>,
                               scratch: UnsafeMutablePointer<Float>) {
        let cin = g.inChannels, T = s * tiling.perImage
        let x = UnsafeSendableBox(input), v = UnsafeSendableBox(tiles), scratchBox = UnsafeSendableBox(scratch)
        parallelChunks(s * cin, work: s * cin * matrices * tiling.perImage) { chunk, planes in
            let pad = scratchBox.value + chunk * tiling.scratch
            for plane in planes {
                let ci = plane / s, j = plane % s
                ck_winograd_input_tiles(x.value + ((n0 + j) * cin + ci) * g.inPlane, g.inHeight, g.inWidth,
                                        g.parameters.padTop, g.parameters.padLeft, tiling.rows, tiling.cols, pad,
                                        v.value + ci * T + j * tiling.perImage, matrixStride(cin * T))
            }
        }
    }

    /// `dM[ξ] = (A dY Aᵀ)[ξ]` of images `firstImage ..< firstImage + images` as `[Cout × T]` matrices.
    static func transformGradient(_ g: ConvGeometry, _ tiling: Tiling, gradOutput: UnsafePointer<Float>,
                                  firstImage n0: Int, images s: Int, tiles: UnsafeMutablePointer<Float>) {
        let cout = g.outChannels, T = s * tiling.perImage
        let dy = UnsafeSendableBox(gradOutput), dm = UnsafeSendableBox(tiles)
        parallelFor(s * cout, work: s * cout * matrices * tiling.perImage) { plane in
            let co = plane / s, j = plane % s
            ck_winograd_gradient_tiles(dy.value + ((n0 + j) * cout + co) * g.outPlane, g.outHeight, g.outWidth,
                                       tiling.rows, tiling.cols, dm.value + co * T + j * tiling.perImage, matrixStride(cout * T))
        }
    }
}
