// IEEE binary16 <-> binary32 conversion of activation caches, per instruction
// set: a portable scalar build (the reference the others are tested against),
// and F16C builds (`vcvtps2ph` / `vcvtph2ps`, 8 lanes on AVX2, 16 on AVX-512).
// Every build rounds to nearest, ties to even (immediate 0, not MXCSR), turns
// overflow into infinity, keeps subnormals, and quiets NaNs keeping the top of
// their payload, so all builds give the same bits.
#include <stdint.h>
#include <string.h>
#include "CKernels.h"
#include "KernelVariants.h"

static inline uint16_t ck_half_from_float(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    uint32_t a = x & 0x7FFFFFFFu;
    if (a > 0x7F800000u) return sign | 0x7E00u | (uint16_t)((a >> 13) & 0x3FFu);  // NaN, quieted
    if (a >= 0x477FF000u) return sign | 0x7C00u;  // ≥ 65520 (or inf): rounds to infinity
    if (a >= 0x38800000u) {                        // normal half: 2^-14 ≤ |f| < 65520
        uint32_t r = a + 0xFFFu + ((a >> 13) & 1u);  // ties to even on the 13 dropped bits
        return sign | (uint16_t)((r - (112u << 23)) >> 13);
    }
    uint32_t e = a >> 23;                           // subnormal half (or zero): units of 2^-24
    if (e < 102) return sign;                       // below 2^-25: rounds to zero
    uint32_t m = (a & 0x7FFFFFu) | 0x800000u;
    uint32_t shift = 126 - e;                       // 14…24
    uint32_t q = m >> shift, rest = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rest > half || (rest == half && (q & 1u))) q++;
    return sign | (uint16_t)q;
}

static inline float ck_float_from_half(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, m = h & 0x3FFu, x;
    if (e == 0) {
        float f = (float)m * 0x1p-24f;  // exact: at most 10 significant bits
        memcpy(&x, &f, sizeof x);
        x |= sign;
    } else if (e == 31) {
        x = sign | 0x7F800000u | (m << 13) | (m ? 0x400000u : 0);  // inf, or NaN quieted
    } else {
        x = sign | ((e + 112) << 23) | (m << 13);
    }
    float f;
    memcpy(&f, &x, sizeof f);
    return f;
}

void ck_generic_f32_to_f16(const float *src, uint16_t *dst, long count) {
    for (long i = 0; i < count; i++) dst[i] = ck_half_from_float(src[i]);
}

void ck_generic_f16_to_f32(const uint16_t *src, float *dst, long count) {
    for (long i = 0; i < count; i++) dst[i] = ck_float_from_half(src[i]);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,f16c")))
void ck_avx2_f32_to_f16(const float *src, uint16_t *dst, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8)
        _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < count; i++) dst[i] = ck_half_from_float(src[i]);
}

__attribute__((target("avx2,f16c")))
void ck_avx2_f16_to_f32(const uint16_t *src, float *dst, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < count; i++) dst[i] = ck_float_from_half(src[i]);
}

__attribute__((target("avx512f")))
void ck_avx512_f32_to_f16(const float *src, uint16_t *dst, long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16)
        _mm256_storeu_si256((__m256i *)(dst + i), _mm512_cvtps_ph(_mm512_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < count; i++) dst[i] = ck_half_from_float(src[i]);
}

__attribute__((target("avx512f")))
void ck_avx512_f16_to_f32(const uint16_t *src, float *dst, long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16)
        _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(src + i))));
    for (; i < count; i++) dst[i] = ck_float_from_half(src[i]);
}
#endif
