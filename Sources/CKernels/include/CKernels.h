#ifndef CKERNELS_H
#define CKERNELS_H

/// Convolution kernels in C, compiled once per instruction set and chosen at
/// run time, because Swift compiles the package for baseline x86-64 (SSE2).
///
/// Every entry point takes the instruction set explicitly (`CK_ISA_*`, at most
/// `ck_best_isa()`), so tests can run each variant on one machine. All
/// variants compute the same sums in a fixed order; results are bit-identical
/// from run to run for a given instruction set, but differ slightly between
/// sets (vector width, fused multiply-add).
///
/// Planes are "flat padded": a zero-padded input plane of width `paddedWidth`
/// is read at `i + tapOffsets[t]` for output position `i = oy·paddedWidth + ox`,
/// so every kernel tap is one offset and no border tests are needed. Positions
/// with `ox ≥ outWidth` are computed and discarded by `ck_store_rows`.

#define CK_ISA_GENERIC 0
#define CK_ISA_AVX2 1
#define CK_ISA_AVX512 2

/// The widest instruction set this CPU and OS support.
int ck_best_isa(void);

/// Block sizes of one instruction set's kernels; buffers are laid out with them.
typedef struct {
    /// Floats per vector; weight-gradient partial sums and plane lengths use it.
    long vectorWidth;
    /// Flat plane lengths passed to the kernels must be multiples of this.
    long lengthQuantum;
    /// Output channels per `ck_conv_forward` call (packed weights are padded to it).
    long outputBlock;
    /// Output channels per weight-gradient tile (gradient planes are padded to it).
    long gradOutputBlock;
    /// Kernel taps per weight-gradient tile (tap offsets are padded to it).
    long tapBlock;
} CKConvLayout;

CKConvLayout ck_conv_layout(int isa);

/// Copies a `rows`×`cols` plane into `dst` at (`top`, `left`) of rows `width`
/// floats apart and zeroes the rest of `dst[0..<total]`.
void ck_pad_plane(int isa, const float *src, long rows, long cols,
                  long top, long left, long width, long total, float *dst);

/// `dst[r·cols + c] = src[r·srcRowStride + c] + bias`: drops the padded columns.
void ck_store_rows(int isa, const float *src, long srcRowStride, long rows, long cols,
                   float bias, float *dst);

/// `outputBlock` output planes of `length` floats, `outPlaneStride` apart:
/// `out[o][i] = Σ_ci Σ_t w[ci][t][o] · in[ci][i + tapOffsets[t]]`.
/// `packedWeights` is `[inChannels][taps][outputBlock]`.
void ck_conv_forward(int isa, const float *input, long inChannels, long inPlaneStride,
                     const float *packedWeights, long taps, const long *tapOffsets,
                     long length, float *output, long outPlaneStride);

/// One output plane: `out[i] = Σ_ci Σ_t w[ci][t] · in[ci][i + tapOffsets[t]]`
/// (depthwise forward, and its input gradient with a channel multiplier).
void ck_conv_forward_single(int isa, const float *input, long inChannels, long inPlaneStride,
                            const float *weights, long taps, const long *tapOffsets,
                            long length, float *output);

/// Weight-gradient sums over `images` images for `outChannels` output channels:
/// `partial[co][ci][t] = Σ_n Σ_i grad[n][co][i] · in[n][ci][i + tapOffsets[t]]`.
/// Gradient planes hold zeros in the discarded columns and past the plane, so
/// those positions add nothing. `outChannels` is a multiple of
/// `gradOutputBlock`, `taps` of `tapBlock`; `partial` is `[outChannels][inChannels][taps]`.
void ck_conv_weight_grad(int isa, const float *input, long inChannels, long inPlaneStride, long inImageStride,
                         const float *grad, long outChannels, long gradPlaneStride, long gradImageStride,
                         long images, const long *tapOffsets, long taps, long length, float *partial);

/// One gradient plane against one input plane (depthwise weight gradient):
/// `partial[t] = Σ_n Σ_i grad[n][i] · in[n][i + tapOffsets[t]]`, `taps` a multiple of `tapBlock`.
void ck_conv_weight_grad_single(int isa, const float *input, long inImageStride,
                                const float *grad, long gradImageStride,
                                long images, const long *tapOffsets, long taps, long length, float *partial);

/// Sum of `count` floats in a fixed order (bias gradients).
float ck_sum(int isa, const float *values, long count);

#endif
