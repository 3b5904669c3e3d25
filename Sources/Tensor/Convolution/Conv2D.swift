/// 2-D convolution over NCHW float32 tensors (cross-correlation, as in ONNX and PyTorch).
///
/// All entry points write into caller-owned tensors (resized as needed, so an
/// output reused across iterations is allocated once) and take a
/// `Conv2DWorkspace` for scratch. Grouped convolutions with more than one input
/// channel per group go through im2col + BLAS GEMM in L2-sized chunks of
/// samples; depthwise ones (one input channel per group) use direct loops,
/// where a GEMM would have K = 9 and waste its time packing.
public enum Conv2D {}
