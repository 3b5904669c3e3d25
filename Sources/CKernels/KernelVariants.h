// Declarations of the per-instruction-set builds of KernelTemplate.h, which
// Dispatch.c selects between.
#ifndef CKERNELS_VARIANTS_H
#define CKERNELS_VARIANTS_H
#include "CKernels.h"

#define CK_DECLARE_VARIANT(P) \
    extern const CKConvLayout P##_layout; \
    void P##_pad_plane(const float *, long, long, long, long, long, long, float *); \
    void P##_store_rows(const float *, long, long, long, float, float *); \
    void P##_conv_forward(const float *, long, long, const float *, long, const long *, long, float *, long, long); \
    void P##_conv_forward_single(const float *, long, long, const float *, long, const long *, long, float *); \
    void P##_conv_weight_grad(const float *, long, long, long, const float *, long, long, \
                              long, long, long, long, long, long, const long *, long, long, float *); \
    void P##_interleave_channels(const float *, long, long, long, float *); \
    void P##_conv_weight_grad_single(const float *, long, const float *, long, long, const long *, long, long, float *); \
    float P##_sum(const float *, long); \
    void P##_adaround_soft_weights(const float *, const float *, long, float, float, float, float, float, float *); \
    float P##_adaround_alpha_grad(const float *, const float *, const float *, long, float, float, float, float, float, \
                                  float, float, int, float *); \
    void P##_adam_update(float *, const float *, float *, float *, long, float, float, float, float, float); \
    double P##_squared_error(const float *, const float *, const float *, long, float, float *);

CK_DECLARE_VARIANT(ck_generic)
#if defined(__x86_64__)
CK_DECLARE_VARIANT(ck_avx2)
CK_DECLARE_VARIANT(ck_avx512)
#endif

// Half-precision conversion (HalfPrecision.c), outside the template: F16C has
// no GNU vector form. The AVX2 build also needs F16C (checked by ck_f16_isa).
#include <stdint.h>
#define CK_DECLARE_HALF_VARIANT(P) \
    void P##_f32_to_f16(const float *, uint16_t *, long); \
    void P##_f16_to_f32(const uint16_t *, float *, long);

CK_DECLARE_HALF_VARIANT(ck_generic)
#if defined(__x86_64__)
CK_DECLARE_HALF_VARIANT(ck_avx2)
CK_DECLARE_HALF_VARIANT(ck_avx512)
#endif

#endif
