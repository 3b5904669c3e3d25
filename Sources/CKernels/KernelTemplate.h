// The kernel bodies, included once per instruction set by Kernels*.c.
//
// The including file defines CK_NAME(x) (a per-ISA suffix), CK_VEC (floats per
// vector) and the block sizes below, and wraps the include in a target
// attribute so the compiler emits that instruction set. Block sizes are chosen
// so each tile's accumulators stay in registers: 32 vector registers on
// AVX-512, 16 on AVX2 and SSE2. Vectors are GNU vector types rather than
// intrinsics so one body serves every width.
//
// Required: CK_NAME, CK_VEC, CK_OUT_BLOCK, CK_PIXEL_VECTORS, CK_GRAD_INPUTS,
// CK_GRAD_OUT_VECTORS, CK_TAP_BLOCK, CK_SINGLE_TAP_BLOCK.
#define CK_GRAD_LANES (CK_VEC * CK_GRAD_OUT_VECTORS)

#include <string.h>  // memset of the weight-gradient sums

typedef float CK_NAME(vec) __attribute__((vector_size(CK_VEC * sizeof(float))));
#define VEC_T CK_NAME(vec)
// The same vector at float alignment, for loads and stores at arbitrary tap offsets.
typedef float CK_NAME(unaligned_vec) __attribute__((vector_size(CK_VEC * sizeof(float)), aligned(4), may_alias));
#define UNALIGNED_VEC_T CK_NAME(unaligned_vec)

static inline __attribute__((always_inline)) VEC_T CK_NAME(load)(const float *p) {
    return *(const UNALIGNED_VEC_T *)p;
}

static inline __attribute__((always_inline)) void CK_NAME(store)(float *p, VEC_T v) {
    *(UNALIGNED_VEC_T *)p = v;
}

/// Lanes summed in lane order, so the result does not depend on the compiler's choices.
static inline __attribute__((always_inline)) float CK_NAME(lane_sum)(VEC_T v) {
    float s = 0;
#pragma clang loop unroll(full)
    for (int l = 0; l < CK_VEC; l++) s += v[l];
    return s;
}

/// One tile: `cob` output channels × `pxb` vectors of positions from `i0`.
/// Each tap loads the input vectors once and uses them for every channel,
/// with weights broadcast from the packed array.
static inline __attribute__((always_inline)) void CK_NAME(forward_tile)(
    const float *input, long inChannels, long inPlaneStride,
    const float *weights, long taps, const long *tapOffsets,
    long i0, float *output, long outPlaneStride, const int cob, const int pxb)
{
    VEC_T acc[CK_OUT_BLOCK][CK_PIXEL_VECTORS];
    for (int c = 0; c < cob; c++)
        for (int p = 0; p < pxb; p++) acc[c][p] = (VEC_T){0};
    for (long ci = 0; ci < inChannels; ci++) {
        const float *plane = input + ci * inPlaneStride + i0;
        const float *w = weights + ci * taps * cob;
        for (long t = 0; t < taps; t++) {
            const float *src = plane + tapOffsets[t];
            VEC_T x[CK_PIXEL_VECTORS];
            for (int p = 0; p < pxb; p++) x[p] = CK_NAME(load)(src + p * CK_VEC);
            for (int c = 0; c < cob; c++) {
                const float wv = w[t * cob + c];
                for (int p = 0; p < pxb; p++) acc[c][p] += x[p] * wv;
            }
        }
    }
    for (int c = 0; c < cob; c++)
        for (int p = 0; p < pxb; p++)
            CK_NAME(store)(output + c * outPlaneStride + i0 + p * CK_VEC, acc[c][p]);
}

/// Whole tiles, then the rest in tiles of two vectors and at most one single
/// vector (four left over go as two pairs): a single-vector tile does one
/// weight broadcast per multiply-add, and on small planes (7×9 positions,
/// four vectors) it would be a quarter of the work.
static inline __attribute__((always_inline)) void CK_NAME(forward_plane)(
    const float *input, long inChannels, long inPlaneStride,
    const float *weights, long taps, const long *tapOffsets,
    long length, float *output, long outPlaneStride, const int cob)
{
    long full = length / (CK_VEC * CK_PIXEL_VECTORS), rest = length / CK_VEC - full * CK_PIXEL_VECTORS;
    if (rest == 1 && full > 0 && CK_PIXEL_VECTORS == 3) { full -= 1; rest += 3; }
    long i0 = 0;
    for (long k = 0; k < full; k++, i0 += CK_VEC * CK_PIXEL_VECTORS)
        CK_NAME(forward_tile)(input, inChannels, inPlaneStride, weights, taps, tapOffsets,
                              i0, output, outPlaneStride, cob, CK_PIXEL_VECTORS);
    for (; rest >= 2; rest -= 2, i0 += 2 * CK_VEC)
        CK_NAME(forward_tile)(input, inChannels, inPlaneStride, weights, taps, tapOffsets,
                              i0, output, outPlaneStride, cob, 2);
    if (rest == 1)
        CK_NAME(forward_tile)(input, inChannels, inPlaneStride, weights, taps, tapOffsets,
                              i0, output, outPlaneStride, cob, 1);
}

/// A block of CK_OUT_BLOCK channels or one fewer: each is its own
/// constant-size tile, so both keep their accumulators in registers.
void CK_NAME(conv_forward)(const float *input, long inChannels, long inPlaneStride,
                           const float *packedWeights, long taps, const long *tapOffsets,
                           long length, float *output, long outPlaneStride, long channels) {
    if (channels == CK_OUT_BLOCK)
        CK_NAME(forward_plane)(input, inChannels, inPlaneStride, packedWeights, taps, tapOffsets,
                               length, output, outPlaneStride, CK_OUT_BLOCK);
    else
        CK_NAME(forward_plane)(input, inChannels, inPlaneStride, packedWeights, taps, tapOffsets,
                               length, output, outPlaneStride, CK_OUT_BLOCK - 1);
}

void CK_NAME(conv_forward_single)(const float *input, long inChannels, long inPlaneStride,
                                  const float *weights, long taps, const long *tapOffsets,
                                  long length, float *output) {
    CK_NAME(forward_plane)(input, inChannels, inPlaneStride, weights, taps, tapOffsets,
                           length, output, 0, 1);
}

/// One image's contribution to `cib` input channels × CK_TAP_BLOCK taps of
/// the dense weight gradient, with CK_GRAD_LANES output channels in the lanes
/// of CK_GRAD_OUT_VECTORS vectors: per output position those gradient vectors
/// are loaded and each (channel, tap) input value is broadcast once into all
/// of them. Only the valid positions are visited, so the dropped columns cost
/// nothing here. The running sums live in `sums` between images: channel c's
/// CK_TAP_BLOCK × CK_GRAD_LANES at `sums + c · channelSums` (the partial
/// gradient's `[channel][tap][lane]` rows, `taps · CK_GRAD_LANES` floats apart).
///
/// Taps come in runs of `width` adjacent columns (a kernel row), addressed
/// from one row pointer plus a constant, so 2 channels × 9 taps need 6
/// pointers rather than 18 (there are only 16 general registers). Output row
/// `oy` reads input rows from `oy · rowStep` and output column `ox` input
/// columns from `ox · colStep`: a constant, so a strided kernel's reads stay
/// one addressing mode (`ox · 8 + k · 4` bytes for stride 2).
static inline __attribute__((always_inline)) void CK_NAME(weight_grad_image)(
    const float *x, long inPlaneStride, const float *gradRows, long gradRowStride,
    long outHeight, long outWidth, long rowStep, const long *offsets,
    float *sums, long channelSums, const int cib, const int width, const int colStep)
{
    const int runs = CK_TAP_BLOCK / width;
    VEC_T acc[CK_GRAD_INPUTS][CK_TAP_BLOCK][CK_GRAD_OUT_VECTORS];
    for (int c = 0; c < cib; c++)
        for (int t = 0; t < CK_TAP_BLOCK; t++)
            for (int v = 0; v < CK_GRAD_OUT_VECTORS; v++)
                acc[c][t][v] = CK_NAME(load)(sums + c * channelSums + t * CK_GRAD_LANES + v * CK_VEC);
    for (long oy = 0; oy < outHeight; oy++) {
        const float *run[CK_GRAD_INPUTS][CK_TAP_BLOCK];
        for (int c = 0; c < cib; c++)
            for (int r = 0; r < runs; r++) run[c][r] = x + c * inPlaneStride + oy * rowStep + offsets[r * width];
        const float *d = gradRows + oy * outWidth * gradRowStride;
        for (long ox = 0; ox < outWidth; ox++) {
            VEC_T dv[CK_GRAD_OUT_VECTORS];
            for (int v = 0; v < CK_GRAD_OUT_VECTORS; v++) dv[v] = CK_NAME(load)(d + ox * gradRowStride + v * CK_VEC);
            for (int c = 0; c < cib; c++)
                for (int r = 0; r < runs; r++)
                    for (int k = 0; k < width; k++) {
                        const float xv = run[c][r][ox * colStep + k];
                        for (int v = 0; v < CK_GRAD_OUT_VECTORS; v++) acc[c][r * width + k][v] += dv[v] * xv;
                    }
        }
    }
    for (int c = 0; c < cib; c++)
        for (int t = 0; t < CK_TAP_BLOCK; t++)
            for (int v = 0; v < CK_GRAD_OUT_VECTORS; v++)
                CK_NAME(store)(sums + c * channelSums + t * CK_GRAD_LANES + v * CK_VEC, acc[c][t][v]);
}

static inline __attribute__((always_inline)) void CK_NAME(weight_grad)(
    const float *input, long inChannels, long inPlaneStride, long inImageStride,
    const float *gradRows, long gradRowStride, long gradImageStride,
    long images, long outHeight, long outWidth, long rowStep,
    const long *tapOffsets, long taps, float *partial, const int cib, const int width, const int colStep)
{
    memset(partial, 0, (size_t)(inChannels * taps * CK_GRAD_LANES) * sizeof(float));
    for (long n = 0; n < images; n++) {
        const float *x = input + n * inImageStride, *d = gradRows + n * gradImageStride;
        for (long t = 0; t < taps; t += CK_TAP_BLOCK) {
            long ci = 0;
            for (; ci + cib <= inChannels; ci += cib)
                CK_NAME(weight_grad_image)(x + ci * inPlaneStride, inPlaneStride, d, gradRowStride,
                                           outHeight, outWidth, rowStep, tapOffsets + t,
                                           partial + (ci * taps + t) * CK_GRAD_LANES, taps * CK_GRAD_LANES,
                                           cib, width, colStep);
            for (; ci < inChannels; ci++)
                CK_NAME(weight_grad_image)(x + ci * inPlaneStride, inPlaneStride, d, gradRowStride,
                                           outHeight, outWidth, rowStep, tapOffsets + t,
                                           partial + (ci * taps + t) * CK_GRAD_LANES, taps * CK_GRAD_LANES,
                                           1, width, colStep);
        }
    }
}

void CK_NAME(conv_weight_grad)(const float *input, long inChannels, long inPlaneStride, long inImageStride,
                               const float *gradRows, long gradRowStride, long gradImageStride,
                               long images, long outHeight, long outWidth, long paddedWidth,
                               long strideHeight, long strideWidth,
                               const long *tapOffsets, long taps, long tapRunWidth, float *partial) {
    long rowStep = strideHeight * paddedWidth;
    if (tapRunWidth == 3 && CK_TAP_BLOCK % 3 == 0 && strideWidth == 2)
        CK_NAME(weight_grad)(input, inChannels, inPlaneStride, inImageStride, gradRows, gradRowStride, gradImageStride,
                             images, outHeight, outWidth, rowStep, tapOffsets, taps, partial, CK_GRAD_INPUTS, 3, 2);
    else if (tapRunWidth == 3 && CK_TAP_BLOCK % 3 == 0)
        CK_NAME(weight_grad)(input, inChannels, inPlaneStride, inImageStride, gradRows, gradRowStride, gradImageStride,
                             images, outHeight, outWidth, rowStep, tapOffsets, taps, partial, CK_GRAD_INPUTS, 3, 1);
    else
        CK_NAME(weight_grad)(input, inChannels, inPlaneStride, inImageStride, gradRows, gradRowStride, gradImageStride,
                             images, outHeight, outWidth, rowStep, tapOffsets, taps, partial, 1, 1, 1);
}

/// Depthwise weight gradient: one gradient plane against one input plane,
/// positions in the lanes, CK_SINGLE_TAP_BLOCK taps in registers, summed over images
/// and then over lanes. Each position loads the gradient vector once and
/// each tap's input vector once.
void CK_NAME(conv_weight_grad_single)(const float *input, long inImageStride,
                                      const float *grad, long gradImageStride,
                                      long images, const long *tapOffsets, long taps, long length, float *partial) {
    for (long t0 = 0; t0 < taps; t0 += CK_SINGLE_TAP_BLOCK) {
        const long *offsets = tapOffsets + t0;
        VEC_T acc[CK_SINGLE_TAP_BLOCK];
        for (int t = 0; t < CK_SINGLE_TAP_BLOCK; t++) acc[t] = (VEC_T){0};
        for (long n = 0; n < images; n++) {
            const float *x = input + n * inImageStride, *dy = grad + n * gradImageStride;
            for (long i = 0; i < length; i += CK_VEC) {
                const VEC_T d = CK_NAME(load)(dy + i);
                for (int t = 0; t < CK_SINGLE_TAP_BLOCK; t++) acc[t] += d * CK_NAME(load)(x + i + offsets[t]);
            }
        }
        for (int t = 0; t < CK_SINGLE_TAP_BLOCK; t++) partial[t0 + t] = CK_NAME(lane_sum)(acc[t]);
    }
}

typedef float CK_NAME(f8x) __attribute__((vector_size(32), aligned(4), may_alias));
#define F8_T CK_NAME(f8x)

/// `dst[i][j] = src[j][i]` for an 8 × 8 block, rows `srcStride` / `dstStride`
/// floats apart: three rounds of two-input shuffles (pairs, then pairs of
/// pairs, then halves), which every build lowers to its own shuffle instructions.
static inline __attribute__((always_inline)) void CK_NAME(transpose8)(const float *src, long srcStride,
                                                                      float *dst, long dstStride) {
    F8_T r[8], t[8], u[8];
    for (int i = 0; i < 8; i++) r[i] = *(const F8_T *)(src + i * srcStride);
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    // u[k] holds columns k (low half) and k + 4 (high half) of rows 0–3; u[k + 4] of rows 4–7.
    for (int k = 0; k < 4; k++) {
        *(F8_T *)(dst + k * dstStride) = __builtin_shufflevector(u[k], u[k + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        *(F8_T *)(dst + (k + 4) * dstStride) = __builtin_shufflevector(u[k], u[k + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

/// `dst[p][c] = src[c][p]`, channels past `channels` zero: whole 8 × 8 blocks
/// by `transpose8`, the edges one float at a time.
void CK_NAME(interleave_channels)(const float *src, long channels, long positions, long paddedChannels, float *dst) {
    long wholeC = channels / 8 * 8, wholeP = positions / 8 * 8;
    for (long p = 0; p < wholeP; p += 8) {
        for (long c = 0; c < wholeC; c += 8)
            CK_NAME(transpose8)(src + c * positions + p, positions, dst + p * paddedChannels + c, paddedChannels);
        for (long q = p; q < p + 8; q++) {
            float *row = dst + q * paddedChannels;
            for (long c = wholeC; c < channels; c++) row[c] = src[c * positions + q];
            for (long c = channels; c < paddedChannels; c++) row[c] = 0;
        }
    }
    for (long q = wholeP; q < positions; q++) {
        float *row = dst + q * paddedChannels;
        for (long c = 0; c < channels; c++) row[c] = src[c * positions + q];
        for (long c = channels; c < paddedChannels; c++) row[c] = 0;
    }
}
#undef F8_T

// Plane rows are short (7–28 floats) and rarely a whole number of vectors,
// so a row is copied as 16/8/4-float pieces with the last piece overlapping
// the one before it, rather than with a scalar tail loop or a library call.
typedef float CK_NAME(f16) __attribute__((vector_size(64), aligned(4), may_alias));
typedef float CK_NAME(f8) __attribute__((vector_size(32), aligned(4), may_alias));
typedef float CK_NAME(f4) __attribute__((vector_size(16), aligned(4), may_alias));

#define CK_SPAN(dst, src, n, piece) do { \
    if ((n) >= 16) { \
        long i_ = 0; \
        for (; i_ + 16 <= (n); i_ += 16) piece(CK_NAME(f16), (dst) + i_, (src) + i_); \
        if (i_ < (n)) piece(CK_NAME(f16), (dst) + (n) - 16, (src) + (n) - 16); \
    } else if ((n) >= 8) { \
        piece(CK_NAME(f8), (dst), (src)); piece(CK_NAME(f8), (dst) + (n) - 8, (src) + (n) - 8); \
    } else if ((n) >= 4) { \
        piece(CK_NAME(f4), (dst), (src)); piece(CK_NAME(f4), (dst) + (n) - 4, (src) + (n) - 4); \
    } else { \
        for (long i_ = 0; i_ < (n); i_++) piece(float, (dst) + i_, (src) + i_); \
    } \
} while (0)
#define CK_COPY_PIECE(T, d, s) (*(T *)(d) = *(const T *)(s))
#define CK_ZERO_PIECE(T, d, s) (*(T *)(d) = (T){0})
#define CK_BIAS_PIECE(T, d, s) (*(T *)(d) = *(const T *)(s) + bias)

// no_builtin keeps the compiler from turning the scalar pieces back into memset/memcpy calls.
__attribute__((no_builtin("memcpy", "memset")))
void CK_NAME(pad_plane)(const float *src, long rows, long cols, long top, long left,
                        long width, long total, float *dst) {
    long next = 0;  // first element not yet written
    for (long r = 0; r < rows; r++) {
        long start = (top + r) * width + left;
        CK_SPAN(dst + next, dst, start - next, CK_ZERO_PIECE);
        CK_SPAN(dst + start, src + r * cols, cols, CK_COPY_PIECE);
        next = start + cols;
    }
    CK_SPAN(dst + next, dst, total - next, CK_ZERO_PIECE);
}

__attribute__((no_builtin("memcpy", "memset")))
void CK_NAME(store_rows)(const float *src, long srcRowStride, long rows, long cols, float bias, float *dst) {
    for (long r = 0; r < rows; r++) CK_SPAN(dst + r * cols, src + r * srcRowStride, cols, CK_BIAS_PIECE);
}

#undef CK_SPAN
#undef CK_COPY_PIECE
#undef CK_ZERO_PIECE
#undef CK_BIAS_PIECE

float CK_NAME(sum)(const float *values, long count) {
    VEC_T acc[4] = {{0}, {0}, {0}, {0}};
    long i = 0;
    for (; i + 4 * CK_VEC <= count; i += 4 * CK_VEC)
        for (int k = 0; k < 4; k++) acc[k] += CK_NAME(load)(values + i + k * CK_VEC);
    float s = CK_NAME(lane_sum)((acc[0] + acc[1]) + (acc[2] + acc[3]));
    for (; i < count; i++) s += values[i];
    return s;
}

const CKConvLayout CK_NAME(layout) = {
    .vectorWidth = CK_VEC,
    .outputBlock = CK_OUT_BLOCK,
    .tapBlock = CK_TAP_BLOCK,
    .gradientLanes = CK_GRAD_LANES,
    .singleTapBlock = CK_SINGLE_TAP_BLOCK,
};

#undef VEC_T
#undef UNALIGNED_VEC_T
#undef CK_GRAD_LANES
