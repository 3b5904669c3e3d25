// The public entry points: each forwards to the build for the requested
// instruction set. Requests above what was compiled for this architecture fall
// back to the generic build; callers never ask for more than ck_best_isa().
#include "CKernels.h"
#include "KernelVariants.h"

int ck_best_isa(void) {
#if defined(__x86_64__)
    // libgcc / compiler-rt also check that the OS saves the wider registers.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return CK_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CK_ISA_AVX2;
#endif
    return CK_ISA_GENERIC;
}

#if defined(__x86_64__)
#define CK_DISPATCH(isa, call) \
    switch (isa) { \
    case CK_ISA_AVX512: return ck_avx512_##call; \
    case CK_ISA_AVX2: return ck_avx2_##call; \
    default: return ck_generic_##call; \
    }
#else
#define CK_DISPATCH(isa, call) return ck_generic_##call;
#endif

CKConvLayout ck_conv_layout(int isa) { CK_DISPATCH(isa, layout) }

void ck_pad_plane(int isa, const float *src, long rows, long cols,
                  long top, long left, long width, long total, float *dst) {
    CK_DISPATCH(isa, pad_plane(src, rows, cols, top, left, width, total, dst))
}

void ck_store_rows(int isa, const float *src, long srcRowStride, long rows, long cols,
                   float bias, float *dst) {
    CK_DISPATCH(isa, store_rows(src, srcRowStride, rows, cols, bias, dst))
}

void ck_conv_forward(int isa, const float *input, long inChannels, long inPlaneStride,
                     const float *packedWeights, long taps, const long *tapOffsets,
                     long length, float *output, long outPlaneStride, long channels) {
    CK_DISPATCH(isa, conv_forward(input, inChannels, inPlaneStride, packedWeights, taps, tapOffsets,
                                  length, output, outPlaneStride, channels))
}

void ck_conv_forward_single(int isa, const float *input, long inChannels, long inPlaneStride,
                            const float *weights, long taps, const long *tapOffsets,
                            long length, float *output) {
    CK_DISPATCH(isa, conv_forward_single(input, inChannels, inPlaneStride, weights, taps, tapOffsets,
                                         length, output))
}

void ck_conv_weight_grad(int isa, const float *input, long inChannels, long inPlaneStride, long inImageStride,
                         const float *gradRows, long gradRowStride, long gradImageStride,
                         long images, long outHeight, long outWidth, long paddedWidth,
                         long strideHeight, long strideWidth,
                         const long *tapOffsets, long taps, long tapRunWidth, float *partial) {
    CK_DISPATCH(isa, conv_weight_grad(input, inChannels, inPlaneStride, inImageStride,
                                      gradRows, gradRowStride, gradImageStride,
                                      images, outHeight, outWidth, paddedWidth, strideHeight, strideWidth,
                                      tapOffsets, taps, tapRunWidth, partial))
}

void ck_conv_weight_grad_single(int isa, const float *input, long inImageStride,
                                const float *grad, long gradImageStride,
                                long images, const long *tapOffsets, long taps, long length, float *partial) {
    CK_DISPATCH(isa, conv_weight_grad_single(input, inImageStride, grad, gradImageStride,
                                             images, tapOffsets, taps, length, partial))
}

void ck_interleave_channels(int isa, const float *src, long channels, long positions, long paddedChannels, float *dst) {
    CK_DISPATCH(isa, interleave_channels(src, channels, positions, paddedChannels, dst))
}

float ck_sum(int isa, const float *values, long count) { CK_DISPATCH(isa, sum(values, count)) }

void ck_adaround_soft_weights(int isa, const float *alpha, const float *floors, long count, float gamma, float span,
                              float delta, float zero, float top, float *out) {
    CK_DISPATCH(isa, adaround_soft_weights(alpha, floors, count, gamma, span, delta, zero, top, out))
}

float ck_adaround_alpha_grad(int isa, const float *alpha, const float *floors, const float *weightGrad, long count,
                             float gamma, float span, float delta, float zero, float top,
                             float lambda, float beta, int regularize, float *alphaGrad) {
    CK_DISPATCH(isa, adaround_alpha_grad(alpha, floors, weightGrad, count, gamma, span, delta, zero, top,
                                         lambda, beta, regularize, alphaGrad))
}

void ck_adam_update(int isa, float *params, const float *grads, float *m, float *v, long count,
                    float beta1, float beta2, float stepSize, float sqrtCorrection2, float epsilon) {
    CK_DISPATCH(isa, adam_update(params, grads, m, v, count, beta1, beta2, stepSize, sqrtCorrection2, epsilon))
}

int ck_f16_isa(void) {
    int isa = ck_best_isa();
#if defined(__x86_64__)
    if (isa == CK_ISA_AVX2 && !__builtin_cpu_supports("f16c")) return CK_ISA_GENERIC;
#endif
    return isa;  // AVX-512F implies F16C
}

void ck_f32_to_f16(int isa, const float *src, uint16_t *dst, long count) { CK_DISPATCH(isa, f32_to_f16(src, dst, count)) }

void ck_f16_to_f32(int isa, const uint16_t *src, float *dst, long count) { CK_DISPATCH(isa, f16_to_f32(src, dst, count)) }

double ck_squared_error(int isa, const float *prediction, const float *target, const float *weights, long count,
                        float gradScale, float *gradient) {
    CK_DISPATCH(isa, squared_error(prediction, target, weights, count, gradScale, gradient))
}
