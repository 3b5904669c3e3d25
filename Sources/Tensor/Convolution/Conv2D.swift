/// 2-D convolution over NCHW float32 tensors (cross-correlation, as in ONNX and PyTorch).
///
/// All entry points write into caller-owned tensors (resized as needed, so an
/// output reused across iterations is allocated once) and take a
/// `Conv2DWorkspace` for scratch. Three paths:
/// - stride 1, dense (kernel > 1×1) or depthwise: `DirectConv2D`, C kernels on
///   zero-padded planes, built for AVX-512 / AVX2 / baseline and picked at run time;
/// - other depthwise (e.g. stride 2): the direct loops of `DepthwiseConv2D`,
///   where a GEMM would have K = 9 and waste its time packing;
/// - everything else (strided, 1×1, grouped): im2col + BLAS GEMM in L2-sized
///   chunks of samples.
public enum Conv2D {}
