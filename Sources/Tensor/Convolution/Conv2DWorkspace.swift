/// Scratch memory that convolution calls reuse across iterations.
///
/// Keep one per layer (or per thread) and pass it to every call: after the
/// first call no large buffers are allocated. It is a value type, so a copy
/// handed to another thread is independent.
public struct Conv2DWorkspace: Sendable {
    /// The column (im2col) matrix for one chunk of samples.
    var columns: [Float] = []
    /// Output or gradient rows gathered into GEMM layout for a chunk.
    var staging: [Float] = []

    /// Direct kernels: the zero-padded input planes of the whole batch (weight gradient).
    var padded: [Float] = []
    /// Direct kernels: the output gradient with channels interleaved (dense weight gradient).
    var interleaved: [Float] = []
    /// Direct kernels: per parallel chunk, the padded planes being read and a flat output tile
    /// (or, for the depthwise weight gradient, one channel's planes of every image).
    var tiles: [Float] = []
    /// Direct kernels: weights reordered (blocked, transposed or flipped) for the kernels.
    var packed: [Float] = []
    /// Direct kernels: dense weight-gradient sums, output channels in lanes, taps padded to the kernels' block.
    var partials: [Float] = []

    /// Winograd: the 16 transformed weight matrices U (or their gradient dU), `[16][Cout][Cin]`.
    var winogradWeights: [Float] = []
    /// Winograd: a chunk's transformed input patches V (or their gradient dV), `[16][Cin][tiles]`.
    var winogradTiles: [Float] = []
    /// Winograd: a chunk's products M (or the transformed output gradient dM), `[16][Cout][tiles]`.
    var winogradProducts: [Float] = []
    /// Winograd: per parallel chunk of a transform, a zero-padded plane and a few rows of tiles.
    var winogradScratch: [Float] = []

    /// Upper bound on the column matrix, in bytes. Sized to stay in L2: the
    /// column matrix is written by im2col and read straight back by GEMM, so
    /// a whole-batch matrix (14 MB for 32×16×28×28 3×3) would run at memory
    /// speed rather than cache speed.
    public var columnBudgetBytes: Int

    /// Upper bound on a Winograd chunk's transformed tiles and products
    /// (V and M), in bytes. Chunks are whole images, at least one. The
    /// default holds a reconstruction slice of ResNet-18's block8 (16 images,
    /// 1 MiB each). Measured against 32 MiB: reconstruction steps of
    /// ResNet-18 block4, block6 and block8 as fast or faster, `bench recon`'s
    /// peak 124 MiB lower (every layer on this path keeps its buffers);
    /// a whole batch of 32 at block8 in one call 4 % slower.
    public var winogradChunkBytes: Int

    public init(columnBudgetBytes: Int = 1 << 20, winogradChunkBytes: Int = 16 << 20) {
        self.columnBudgetBytes = columnBudgetBytes
        self.winogradChunkBytes = winogradChunkBytes
    }

    /// Samples per chunk for the given geometry: as many as fit the budget, at least one.
    func samplesPerChunk(_ g: ConvGeometry) -> Int {
        let perSample = max(1, g.patchSize * g.outPlane * MemoryLayout<Float>.size)
        return max(1, min(g.batch, columnBudgetBytes / perSample))
    }

    /// The chunk loop of the GEMM convolutions (forward and backward): reserves
    /// the column and staging matrices for `g` and calls `body` for each run of
    /// at most `samplesPerChunk(g)` samples with its first sample, its count
    /// and the two matrices.
    mutating func forEachChunk(_ g: ConvGeometry,
                               _ body: (_ firstSample: Int, _ samples: Int, _ columns: UnsafeMutablePointer<Float>,
                                        _ staging: UnsafeMutablePointer<Float>) -> Void) {
        let S = samplesPerChunk(g), P = g.outPlane
        reserve(columns: g.patchSize * S * P, staging: g.outChannels * S * P)
        columns.withUnsafeMutableBufferPointer { colBuffer in
            staging.withUnsafeMutableBufferPointer { stagingBuffer in
                let col = colBuffer.baseAddress!, staging = stagingBuffer.baseAddress!
                var n0 = 0
                while n0 < g.batch {
                    let s = min(S, g.batch - n0)
                    body(n0, s, col, staging)
                    n0 += s
                }
            }
        }
    }

    /// Images per Winograd chunk for `g`: the batch split into the fewest
    /// chunks that fit the budget (at least one image each), as evenly as
    /// possible, so that no chunk is a thin remainder GEMM.
    func imagesPerWinogradChunk(_ g: ConvGeometry, tilesPerImage: Int) -> Int {
        let perImage = max(1, WinogradConv2D.matrices * (g.inChannels + g.outChannels) * tilesPerImage
                              * MemoryLayout<Float>.size)
        let fitting = max(1, min(g.batch, winogradChunkBytes / perImage))
        let chunks = (g.batch + fitting - 1) / fitting
        return (g.batch + chunks - 1) / chunks
    }

    /// The chunk loop of the Winograd convolutions: reserves the weight, tile
    /// and product matrices and the transforms' scratch for `g`, and calls `body`
    /// for each run of at most `imagesPerWinogradChunk` images with its first
    /// image, its count and the four buffers. The weight matrices keep their
    /// contents from call to call.
    mutating func forEachWinogradChunk(
        _ g: ConvGeometry, tilesPerImage: Int,
        _ body: (_ firstImage: Int, _ images: Int, _ weights: UnsafeMutablePointer<Float>,
                 _ tiles: UnsafeMutablePointer<Float>, _ products: UnsafeMutablePointer<Float>,
                 _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let S = imagesPerWinogradChunk(g, tilesPerImage: tilesPerImage), m = WinogradConv2D.matrices
        let scratchPerTask = WinogradConv2D.Tiling(g).scratch
        Self.grow(&winogradWeights, to: m * WinogradConv2D.matrixStride(g.outChannels * g.inChannels))
        Self.grow(&winogradTiles, to: m * WinogradConv2D.matrixStride(g.inChannels * S * tilesPerImage))
        Self.grow(&winogradProducts, to: m * WinogradConv2D.matrixStride(g.outChannels * S * tilesPerImage))
        Self.grow(&winogradScratch, to: processorCount * 4 * scratchPerTask)
        winogradWeights.withUnsafeMutableBufferPointer { weights in
        winogradTiles.withUnsafeMutableBufferPointer { tiles in
        winogradProducts.withUnsafeMutableBufferPointer { products in
        winogradScratch.withUnsafeMutableBufferPointer { scratch in
            var n0 = 0
            while n0 < g.batch {
                let s = min(S, g.batch - n0)
                body(n0, s, weights.baseAddress!, tiles.baseAddress!, products.baseAddress!, scratch.baseAddress!)
                n0 += s
            }
        }
        }
        }
        }
    }

    mutating func reserve(columns c: Int, staging s: Int) {
        Self.grow(&columns, to: c)
        Self.grow(&staging, to: s)
    }

    /// Grows a buffer to at least `count` floats; never shrinks, so steady-state calls do not allocate.
    static func grow(_ buffer: inout [Float], to count: Int) {
        if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
    }
}
