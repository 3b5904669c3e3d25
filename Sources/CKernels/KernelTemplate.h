// The kernel bodies, included once per instruction set by Kernels*.c.
//
// The including file defines CK_NAME(x) (a per-ISA suffix), CK_VEC (floats per
// vector) and the block sizes below, and wraps the include in a target
// attribute so the compiler emits that instruction set. Block sizes are chosen
// so each tile's accumulators stay in registers: 32 vector registers on
// AVX-512, 16 on AVX2 and SSE2. Vectors are GNU vector types rather than
// intrinsics so one body serves every width.
//
// Required: CK_NAME, CK_VEC, CK_OUT_BLOCK, CK_PIXEL_VECTORS, CK_GRAD_BLOCK, CK_TAP_BLOCK.

#include <string.h>

typedef float CK_NAME(vec) __attribute__((vector_size(CK_VEC * sizeof(float))));
#define VEC_T CK_NAME(vec)

static inline __attribute__((always_inline)) VEC_T CK_NAME(load)(const float *p) {
    VEC_T v;
    memcpy(&v, p, sizeof v);  // unaligned load: tap offsets are arbitrary
    return v;
}

static inline __attribute__((always_inline)) void CK_NAME(store)(float *p, VEC_T v) {
    memcpy(p, &v, sizeof v);
}

/// Lanes summed in lane order, so the result does not depend on the compiler's choices.
static inline __attribute__((always_inline)) float CK_NAME(lane_sum)(VEC_T v) {
    float s = 0;
    for (int l = 0; l < CK_VEC; l++) s += v[l];
    return s;
}

/// A tile is `cob` output channels × CK_PIXEL_VECTORS vectors of positions;
/// each tap loads the input vectors once and uses them for every channel,
/// with weights broadcast from the packed array.
static inline __attribute__((always_inline)) void CK_NAME(forward_tiles)(
    const float *input, long inChannels, long inPlaneStride,
    const float *weights, long taps, const long *tapOffsets,
    long length, float *output, long outPlaneStride, const int cob)
{
    for (long i0 = 0; i0 < length; i0 += CK_VEC * CK_PIXEL_VECTORS) {
        VEC_T acc[CK_OUT_BLOCK][CK_PIXEL_VECTORS];
        for (int c = 0; c < cob; c++)
            for (int p = 0; p < CK_PIXEL_VECTORS; p++) acc[c][p] = (VEC_T){0};
        for (long ci = 0; ci < inChannels; ci++) {
            const float *plane = input + ci * inPlaneStride + i0;
            const float *w = weights + ci * taps * cob;
            for (long t = 0; t < taps; t++) {
                const float *src = plane + tapOffsets[t];
                VEC_T x[CK_PIXEL_VECTORS];
                for (int p = 0; p < CK_PIXEL_VECTORS; p++) x[p] = CK_NAME(load)(src + p * CK_VEC);
                for (int c = 0; c < cob; c++) {
                    const float wv = w[t * cob + c];
                    for (int p = 0; p < CK_PIXEL_VECTORS; p++) acc[c][p] += x[p] * wv;
                }
            }
        }
        for (int c = 0; c < cob; c++)
            for (int p = 0; p < CK_PIXEL_VECTORS; p++)
                CK_NAME(store)(output + c * outPlaneStride + i0 + p * CK_VEC, acc[c][p]);
    }
}

void CK_NAME(conv_forward)(const float *input, long inChannels, long inPlaneStride,
                           const float *packedWeights, long taps, const long *tapOffsets,
                           long length, float *output, long outPlaneStride) {
    CK_NAME(forward_tiles)(input, inChannels, inPlaneStride, packedWeights, taps, tapOffsets,
                           length, output, outPlaneStride, CK_OUT_BLOCK);
}

void CK_NAME(conv_forward_single)(const float *input, long inChannels, long inPlaneStride,
                                  const float *weights, long taps, const long *tapOffsets,
                                  long length, float *output) {
    CK_NAME(forward_tiles)(input, inChannels, inPlaneStride, weights, taps, tapOffsets,
                           length, output, 0, 1);
}

/// One image's contribution to a weight-gradient tile: `cb` gradient planes ×
/// CK_TAP_BLOCK taps of one input plane, in registers. Each position loads the
/// gradient vectors once and each tap's input vector once.
static inline __attribute__((always_inline)) void CK_NAME(weight_grad_image)(
    const float *x, const float *dy, long gradPlaneStride, const long *offsets, long length,
    VEC_T sums[CK_GRAD_BLOCK][CK_TAP_BLOCK], const int cb)
{
    VEC_T acc[CK_GRAD_BLOCK][CK_TAP_BLOCK];
    for (int c = 0; c < cb; c++)
        for (int t = 0; t < CK_TAP_BLOCK; t++) acc[c][t] = sums[c][t];
    for (long i = 0; i < length; i += CK_VEC) {
        VEC_T d[CK_GRAD_BLOCK];
        for (int c = 0; c < cb; c++) d[c] = CK_NAME(load)(dy + c * gradPlaneStride + i);
        for (int t = 0; t < CK_TAP_BLOCK; t++) {
            const VEC_T xv = CK_NAME(load)(x + i + offsets[t]);
            for (int c = 0; c < cb; c++) acc[c][t] += d[c] * xv;
        }
    }
    for (int c = 0; c < cb; c++)
        for (int t = 0; t < CK_TAP_BLOCK; t++) sums[c][t] = acc[c][t];
}

/// A weight-gradient tile summed over images, then over lanes. The running
/// sums go through memory between images (a few stores per image) so the
/// per-image loop keeps every accumulator in a register.
static inline __attribute__((always_inline)) void CK_NAME(weight_grad_tile)(
    const float *input, long inImageStride,
    const float *grad, long gradPlaneStride, long gradImageStride,
    long images, const long *tapOffsets, long length,
    float *partial, long partialChannelStride, const int cb)
{
    VEC_T sums[CK_GRAD_BLOCK][CK_TAP_BLOCK];
    long offsets[CK_TAP_BLOCK];
    for (int t = 0; t < CK_TAP_BLOCK; t++) offsets[t] = tapOffsets[t];
    for (int c = 0; c < cb; c++)
        for (int t = 0; t < CK_TAP_BLOCK; t++) sums[c][t] = (VEC_T){0};
    for (long n = 0; n < images; n++)
        CK_NAME(weight_grad_image)(input + n * inImageStride, grad + n * gradImageStride, gradPlaneStride,
                                   offsets, length, sums, cb);
    for (int c = 0; c < cb; c++)
        for (int t = 0; t < CK_TAP_BLOCK; t++)
            partial[c * partialChannelStride + t] = CK_NAME(lane_sum)(sums[c][t]);
}

void CK_NAME(conv_weight_grad)(const float *input, long inChannels, long inPlaneStride, long inImageStride,
                               const float *grad, long outChannels, long gradPlaneStride, long gradImageStride,
                               long images, const long *tapOffsets, long taps, long length, float *partial) {
    for (long co = 0; co < outChannels; co += CK_GRAD_BLOCK)
        for (long ci = 0; ci < inChannels; ci++)
            for (long t = 0; t < taps; t += CK_TAP_BLOCK)
                CK_NAME(weight_grad_tile)(input + ci * inPlaneStride, inImageStride,
                                          grad + co * gradPlaneStride, gradPlaneStride, gradImageStride,
                                          images, tapOffsets + t, length,
                                          partial + (co * inChannels + ci) * taps + t, inChannels * taps,
                                          CK_GRAD_BLOCK);
}

void CK_NAME(conv_weight_grad_single)(const float *input, long inImageStride,
                                      const float *grad, long gradImageStride,
                                      long images, const long *tapOffsets, long taps, long length, float *partial) {
    for (long t = 0; t < taps; t += CK_TAP_BLOCK)
        CK_NAME(weight_grad_tile)(input, inImageStride, grad, 0, gradImageStride,
                                  images, tapOffsets + t, length, partial + t, 0, 1);
}

void CK_NAME(pad_plane)(const float *src, long rows, long cols, long top, long left,
                        long width, long total, float *dst) {
    long next = 0;  // first element not yet written
    for (long r = 0; r < rows; r++) {
        long start = (top + r) * width + left;
        memset(dst + next, 0, (size_t)(start - next) * sizeof(float));
        memcpy(dst + start, src + r * cols, (size_t)cols * sizeof(float));
        next = start + cols;
    }
    memset(dst + next, 0, (size_t)(total - next) * sizeof(float));
}

void CK_NAME(store_rows)(const float *src, long srcRowStride, long rows, long cols, float bias, float *dst) {
    for (long r = 0; r < rows; r++)
        for (long c = 0; c < cols; c++) dst[r * cols + c] = src[r * srcRowStride + c] + bias;
}

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
    .lengthQuantum = CK_VEC * CK_PIXEL_VECTORS,
    .outputBlock = CK_OUT_BLOCK,
    .gradOutputBlock = CK_GRAD_BLOCK,
    .tapBlock = CK_TAP_BLOCK,
};

#undef VEC_T
