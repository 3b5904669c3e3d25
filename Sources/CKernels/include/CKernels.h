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
    /// Floats per vector. Flat plane lengths passed to the kernels are
    /// multiples of it.
    long vectorWidth;
    /// Output channels per `ck_conv_forward` call: this many, or one fewer
    /// (so 16, 32 and 64 channels split into whole blocks of 6 and 5 on AVX2).
    long outputBlock;
    /// Dense weight-gradient tap offsets are padded to a multiple of this.
    long tapBlock;
    /// Output channels per dense weight-gradient block (in the lanes of one
    /// or two vectors); the interleaved output gradient is padded to a multiple.
    long gradientLanes;
    /// Depthwise weight-gradient tap offsets are padded to a multiple of this.
    long singleTapBlock;
} CKConvLayout;

CKConvLayout ck_conv_layout(int isa);

/// Copies a `rows`×`cols` plane into `dst` at (`top`, `left`) of rows `width`
/// floats apart and zeroes the rest of `dst[0..<total]`.
void ck_pad_plane(int isa, const float *src, long rows, long cols,
                  long top, long left, long width, long total, float *dst);

/// The phases of a strided convolution's zero-padded input: phase k of
/// `phaseCount` is `phases[2k]`, `phases[2k+1]` = (a, b) and holds padded rows
/// a, a + strideHeight, … and columns b, b + strideWidth, … of the plane
/// `rows`×`cols` padded by `top`/`left`, in rows `width` floats apart at
/// `dst + k·phaseStride`; every other float of the phase is zero.
void ck_pad_phases(const float *src, long rows, long cols, long top, long left,
                   long strideHeight, long strideWidth, const long *phases, long phaseCount,
                   long width, long phaseStride, float *dst);

/// `dst[r·cols + c] = src[r·srcRowStride + c] + bias`: drops the padded columns.
void ck_store_rows(int isa, const float *src, long srcRowStride, long rows, long cols,
                   float bias, float *dst);

/// `channels` output planes of `length` floats, `outPlaneStride` apart:
/// `out[o][i] = Σ_ci Σ_t w[ci][t][o] · in[ci][i + tapOffsets[t]]`.
/// `channels` is the layout's `outputBlock` or one fewer; `packedWeights` is
/// `[inChannels][taps][channels]`.
void ck_conv_forward(int isa, const float *input, long inChannels, long inPlaneStride,
                     const float *packedWeights, long taps, const long *tapOffsets,
                     long length, float *output, long outPlaneStride, long channels);

/// Packs one block of dense weights for `ck_conv_forward`: `dst[i][t][c]`
/// (`width` channels, zero from `count` on) = `weight[o][i][t]`, o = first + c;
/// with `flipTransposed`, `weight` is a forward convolution's `[inChannels][outChannels][taps]`
/// and the value is `weight[i][o][taps − 1 − t]` (the input gradient's kernel).
void ck_pack_weights(const float *weight, long outChannels, long inChannels, long taps,
                     long first, long count, long width, int flipTransposed, float *dst);

/// One output plane: `out[i] = Σ_ci Σ_t w[ci][t] · in[ci][i + tapOffsets[t]]`
/// (depthwise forward, and its input gradient with a channel multiplier).
void ck_conv_forward_single(int isa, const float *input, long inChannels, long inPlaneStride,
                            const float *weights, long taps, const long *tapOffsets,
                            long length, float *output);

/// Dense weight gradient for one block of `gradientLanes` output channels:
/// `partial[ci][t][co] = Σ_n Σ_(oy,ox) grad[n][oy·outWidth + ox][co] · in[n][ci][(oy·strideHeight)·paddedWidth + ox·strideWidth + tapOffsets[t]]`.
/// `gradRows` is the output gradient with channels interleaved (see
/// `ck_interleave_channels`), starting at the block's first channel;
/// `taps` is a multiple of `tapBlock`. `tapRunWidth` 3 promises that every
/// `tapBlock` taps are whole rows of a 3-wide kernel (offsets `r + 0, 1, 2`),
/// which the fast tile needs; pass 1 otherwise. `strideWidth` is 1, or 2
/// with `tapRunWidth` 3. `partial` is overwritten.
void ck_conv_weight_grad(int isa, const float *input, long inChannels, long inPlaneStride, long inImageStride,
                         const float *gradRows, long gradRowStride, long gradImageStride,
                         long images, long outHeight, long outWidth, long paddedWidth,
                         long strideHeight, long strideWidth,
                         const long *tapOffsets, long taps, long tapRunWidth, float *partial);

/// One gradient plane against one input plane (depthwise weight gradient):
/// `partial[t] = Σ_n Σ_i grad[n][i] · in[n][i + tapOffsets[t]]`, `taps` a multiple of `singleTapBlock`.
void ck_conv_weight_grad_single(int isa, const float *input, long inImageStride,
                                const float *grad, long gradImageStride,
                                long images, const long *tapOffsets, long taps, long length, float *partial);

/// `dst[p][c] = src[c][p]` for `c < channels`, zero up to `paddedChannels`:
/// one image's planes turned into rows of channels.
void ck_interleave_channels(int isa, const float *src, long channels, long positions, long paddedChannels, float *dst);

/// Winograd F(2×2, 3×3) transforms (Winograd.c): one build for every CPU, no
/// fused multiply-add. Element ξ of a transformed 4×4 tile is written to (or
/// read from) matrix ξ, `matrixStride` floats after matrix ξ − 1; a plane's
/// tile (ty, tx) is column `ty·tileCols + tx` of its row in every matrix.
///
/// `dst[ξ][co·inChannels + ci] = (G g Gᵀ)[ξ]` for the 3×3 kernel `weight[co][ci]`.
void ck_winograd_weights(const float *weight, long outChannels, long inChannels, float *dst, long matrixStride);
/// `(Bᵀ d B)` of every 4×4 patch of one plane, padded by `padTop`/`padLeft` and
/// with zeros past its edges. `scratch` holds `(2·tileRows + 2)·(2·tileCols + 2)` floats.
void ck_winograd_input_tiles(const float *plane, long height, long width, long padTop, long padLeft,
                             long tileRows, long tileCols, float *scratch, float *dst, long matrixStride);
/// One output plane from its tiles' products: `Aᵀ m A + bias`, cropped to
/// `outHeight`×`outWidth` (overwritten).
void ck_winograd_output_tiles(const float *src, long matrixStride, long tileRows, long tileCols,
                              long outHeight, long outWidth, float bias, float *plane);
/// `A g Aᵀ` of every 2×2 tile of one output-gradient plane, zero past its edges.
void ck_winograd_gradient_tiles(const float *plane, long outHeight, long outWidth, long tileRows, long tileCols,
                                float *dst, long matrixStride);
/// One input-gradient plane (overwritten): the sum over tiles, in order, of
/// `B v Bᵀ` at the tiles' overlapping 4×4 patches, with the padding's share
/// dropped. `scratch` holds `(2·tileRows + 2)·(2·tileCols + 2) + 16·tileCols` floats.
void ck_winograd_input_gradient(const float *src, long matrixStride, long tileRows, long tileCols,
                                long height, long width, long padTop, long padLeft, float *scratch, float *plane);
/// `gradWeight[co][ci] = Gᵀ u G` (3×3) for the 4×4 `u[ξ] = src[ξ][co·inChannels + ci]`.
void ck_winograd_weight_gradient(const float *src, long matrixStride, long outChannels, long inChannels,
                                 float *gradWeight);

/// Sum of `count` floats in a fixed order (bias gradients).
float ck_sum(int isa, const float *values, long count);

/// AdaRound's soft weights for one output channel (OptimizerTemplate.h):
/// `out[i] = (clamp(floors[i] + h(alpha[i]) + zero, 0, top) − zero)·delta`,
/// `h(α) = clamp(σ(α)·span + gamma, 0, 1)`.
void ck_adaround_soft_weights(int isa, const float *alpha, const float *floors, long count, float gamma, float span,
                              float delta, float zero, float top, float *out);

/// ∂/∂α of `L(ŵ) + λ·Σ(1 − |2h − 1|^β)` for one output channel, given
/// `weightGrad` = ∂L/∂ŵ, into `alphaGrad`; the regulariser only when
/// `regularize` is non-zero. Returns Σ(1 − |2h − 1|^β) over the weights whose
/// h is not clamped (without λ).
float ck_adaround_alpha_grad(int isa, const float *alpha, const float *floors, const float *weightGrad, long count,
                             float gamma, float span, float delta, float zero, float top,
                             float lambda, float beta, int regularize, float *alphaGrad);

/// The reconstruction loss's squared error: returns Σ wᵢ(pᵢ − tᵢ)² with
/// wᵢ = weights[i]² (1 when `weights` is NULL) and, unless `gradient` is NULL,
/// writes gradient[i] = 2·wᵢ(pᵢ − tᵢ)·gradScale.
double ck_squared_error(int isa, const float *prediction, const float *target, const float *weights, long count,
                        float gradScale, float *gradient);

/// One Adam step over `count` parameters with their moments `m`, `v`:
/// `stepSize` = lr / (1 − β1^t), `sqrtCorrection2` = √(1 − β2^t).
void ck_adam_update(int isa, float *params, const float *grads, float *m, float *v, long count,
                    float beta1, float beta2, float stepSize, float sqrtCorrection2, float epsilon);

/// IEEE half precision (activation caches): `count` values converted, rounding
/// to nearest with ties to even, overflow to infinity, subnormals kept, NaNs
/// quieted. Every build gives the same bits. `isa` at most `ck_f16_isa()`.
#include <stdint.h>
void ck_f32_to_f16(int isa, const float *src, uint16_t *dst, long count);
void ck_f16_to_f32(int isa, const uint16_t *src, float *dst, long count);
/// The widest build of the two conversions this CPU supports (AVX2 also needs F16C).
int ck_f16_isa(void);

#endif
