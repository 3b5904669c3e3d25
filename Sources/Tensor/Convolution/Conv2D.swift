/// 2-D convolution over NCHW float32 tensors (cross-correlation, as in ONNX and PyTorch).
///
/// All entry points write into caller-owned tensors (resized as needed, so an
/// output reused across iterations is allocated once) and take a
/// `Conv2DWorkspace` for scratch. Each shape takes exactly one of four paths,
/// the same for the forward pass and both gradients:
/// - dense 3×3 stride 1 with many channels (at least 256 in and out, or 128
///   on planes up to 28×28: `WinogradConv2D.isChosen`, where it was measured
///   faster): Winograd F(2×2, 3×3), 16 OpenBLAS GEMMs over channels on
///   transformed tiles, about half the direct multiply-adds (0.44 on even
///   planes, 0.58 on 7×7);
/// - other stride 1, dense (kernel > 1×1) or depthwise: `DirectConv2D`, C kernels on
///   zero-padded planes, built for AVX-512 / AVX2 / baseline and picked at run time;
/// - other depthwise (e.g. stride 2): the direct loops of `DepthwiseConv2D`,
///   where a GEMM would have K = 9 and waste its time packing;
/// - everything else (strided, 1×1, grouped): im2col + BLAS GEMM in L2-sized
///   chunks of samples.
public enum Conv2D {}
