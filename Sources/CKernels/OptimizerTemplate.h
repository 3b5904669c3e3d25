// The per-element passes of a reconstruction step, included once per
// instruction set by Kernels*.c after KernelTemplate.h (same CK_NAME, CK_VEC):
// AdaRound's soft weights, its α gradient with the rounding regulariser, Adam,
// and the squared-error loss with its gradient.
//
// Why in C: they run over every weight (or output) of a unit on every
// iteration, and in Swift each weight cost a libm expf (twice) and a powf — a
// quarter of a ResNet-20 stage-3 iteration on one core (perf). Here exp, log2
// and exp2 are evaluated for a whole vector at once with short polynomials
// (Taylor series after range reduction, relative error below 1e-6 for the
// ranges used), so results differ from libm's in the last bits but are the
// same from run to run.
//
// In the AdaRound and Adam passes the last partial vector goes through the
// same vector code (staged through a padded local array), so an element's
// value does not depend on where it falls in the array or how a caller splits
// it into chunks. The loss's tail is scalar: its gradient is the same
// products either way, and its sum's order is fixed per instruction set.

typedef float CK_NAME(ovec) __attribute__((vector_size(CK_VEC * sizeof(float))));
typedef int CK_NAME(omask) __attribute__((vector_size(CK_VEC * sizeof(int))));
typedef float CK_NAME(ovec_u) __attribute__((vector_size(CK_VEC * sizeof(float)), aligned(4), may_alias));
#define OVEC CK_NAME(ovec)
#define OMASK CK_NAME(omask)
#define OVEC_U CK_NAME(ovec_u)

static inline __attribute__((always_inline)) OVEC CK_NAME(oload)(const float *p) { return *(const OVEC_U *)p; }
static inline __attribute__((always_inline)) void CK_NAME(ostore)(float *p, OVEC v) { *(OVEC_U *)p = v; }
static inline __attribute__((always_inline)) OVEC CK_NAME(splat)(float x) { return (OVEC){0} + x; }

/// `mask ? a : b` lane by lane (masks are all-ones or zero per lane, as comparisons give).
static inline __attribute__((always_inline)) OVEC CK_NAME(select)(OMASK mask, OVEC a, OVEC b) {
    return (OVEC)(((OMASK)a & mask) | ((OMASK)b & ~mask));
}

/// 2^n for integral n in [−126, 127], built in the exponent field.
static inline __attribute__((always_inline)) OVEC CK_NAME(pow2i)(OVEC n) {
    OMASK e = __builtin_convertvector(n, OMASK) + 127;
    return (OVEC)(e << 23);
}

/// e^r for |r| ≤ ln2/2 + a little: Taylor to r⁷ (truncation < 6e-9 relative).
static inline __attribute__((always_inline)) OVEC CK_NAME(exp_reduced)(OVEC r) {
    OVEC p = CK_NAME(splat)(1.0f / 5040);
    p = p * r + 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    return p * r + 1.0f;
}

/// e^x, x clamped to [−87, 88] (the normal range: callers only need it there).
static inline __attribute__((always_inline)) OVEC CK_NAME(vexp)(OVEC x) {
    x = __builtin_elementwise_min(__builtin_elementwise_max(x, CK_NAME(splat)(-87.0f)), CK_NAME(splat)(88.0f));
    OVEC n = __builtin_elementwise_floor(x * 1.44269504f + 0.5f);
    // ln 2 split so n·hi is exact (hi has 12 significant bits, |n| < 2^7).
    OVEC r = (x - n * 0.693145751953125f) - n * 1.42860677e-6f;
    return CK_NAME(exp_reduced)(r) * CK_NAME(pow2i)(n);
}

/// 2^y, y clamped to [−126, 0] (what |u|^k with |u| ≤ 1 needs; below 2^−126 it
/// is 2^−126 rather than 0, which the regulariser cannot tell apart).
static inline __attribute__((always_inline)) OVEC CK_NAME(vexp2)(OVEC y) {
    y = __builtin_elementwise_min(__builtin_elementwise_max(y, CK_NAME(splat)(-126.0f)), CK_NAME(splat)(0.0f));
    OVEC n = __builtin_elementwise_floor(y + 0.5f);
    return CK_NAME(exp_reduced)((y - n) * 0.693147181f) * CK_NAME(pow2i)(n);
}

/// log2 x for normal positive x: x = m·2^e with m in [√½, √2), and
/// ln m = 2·atanh(t), t = (m − 1)/(m + 1), |t| ≤ 0.172, to t⁹ (error < 1e-9).
static inline __attribute__((always_inline)) OVEC CK_NAME(vlog2)(OVEC x) {
    OMASK bits = (OMASK)x;
    OMASK e = ((bits >> 23) & 0xff) - 127;
    OVEC m = (OVEC)((bits & 0x007fffff) | 0x3f800000);
    OMASK big = m > 1.41421356f;
    m = CK_NAME(select)(big, m * 0.5f, m);
    OVEC ef = __builtin_convertvector(e - big, OVEC);  // big is −1 where set
    OVEC t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    OVEC s = CK_NAME(splat)(1.0f / 9);
    s = s * t2 + 1.0f / 7;
    s = s * t2 + 1.0f / 5;
    s = s * t2 + 1.0f / 3;
    s = s * t2 + 1.0f;
    return ef + (2.0f * 1.44269504f) * t * s;
}

/// σ(α), from e^−α.
static inline __attribute__((always_inline)) OVEC CK_NAME(vsigmoid)(OVEC a) {
    return 1.0f / (1.0f + CK_NAME(vexp)(-a));
}

static inline __attribute__((always_inline)) OVEC CK_NAME(clamp)(OVEC x, float lo, float hi) {
    return __builtin_elementwise_min(__builtin_elementwise_max(x, CK_NAME(splat)(lo)), CK_NAME(splat)(hi));
}

void CK_NAME(adaround_soft_weights)(const float *alpha, const float *floors, long count, float gamma, float span,
                                    float delta, float zero, float top, float *out) {
#define CK_SOFT(a, f) ((CK_NAME(clamp)((f) + CK_NAME(clamp)(CK_NAME(vsigmoid)(a) * span + gamma, 0, 1) + zero, 0, top) - zero) * delta)
    long i = 0;
    for (; i + CK_VEC <= count; i += CK_VEC)
        CK_NAME(ostore)(out + i, CK_SOFT(CK_NAME(oload)(alpha + i), CK_NAME(oload)(floors + i)));
    if (i < count) {
        float a[CK_VEC] = {0}, f[CK_VEC] = {0}, o[CK_VEC];
        for (long k = 0; k < count - i; k++) { a[k] = alpha[i + k]; f[k] = floors[i + k]; }
        CK_NAME(ostore)(o, CK_SOFT(CK_NAME(oload)(a), CK_NAME(oload)(f)));
        for (long k = 0; k < count - i; k++) out[i + k] = o[k];
    }
#undef CK_SOFT
}

/// One vector of `adaround_alpha_grad`; returns the lanes' penalties (zero
/// where h is clamped, as those weights take no gradient either).
static inline __attribute__((always_inline)) OVEC CK_NAME(alpha_grad_vector)(
    OVEC a, OVEC f, OVEC g, float gamma, float span, float delta, float zero, float top,
    float lambda, float beta, int regularize, float *alphaGrad)
{
    OVEC s = CK_NAME(vsigmoid)(a);
    OVEC h = s * span + gamma;
    // The clamps pass gradient on their closed intervals, like torch.clamp.
    OMASK inside = (h >= 0.0f) & (h <= 1.0f);
    OVEC level = f + h + zero;
    OMASK inGrid = (level >= 0.0f) & (level <= top);
    OVEC dh = CK_NAME(select)(inGrid, g * delta, CK_NAME(splat)(0));
    OVEC penalty = CK_NAME(splat)(0);
    if (regularize) {
        // 1 − |u|^β and its derivative −2β·|u|^(β−1)·sign(u), u = 2h − 1, from one power.
        OVEC u = 2.0f * h - 1.0f;
        OVEC mag = __builtin_elementwise_abs(u);
        OMASK zeroU = mag == 0.0f;
        OVEC power = CK_NAME(vexp2)((beta - 1.0f) * CK_NAME(vlog2)(__builtin_elementwise_max(mag, CK_NAME(splat)(1.17549435e-38f))));
        OVEC magnitude = CK_NAME(select)(zeroU, CK_NAME(splat)(0), 2.0f * beta * power);
        OVEC value = CK_NAME(select)(zeroU, CK_NAME(splat)(1), 1.0f - mag * power);
        OVEC derivative = CK_NAME(select)(u > 0.0f, -magnitude, magnitude);
        penalty = CK_NAME(select)(inside, value, CK_NAME(splat)(0));
        dh += lambda * derivative;
    }
    CK_NAME(ostore)(alphaGrad, CK_NAME(select)(inside, dh * span * s * (1.0f - s), CK_NAME(splat)(0)));
    return penalty;
}

float CK_NAME(adaround_alpha_grad)(const float *alpha, const float *floors, const float *weightGrad, long count,
                                   float gamma, float span, float delta, float zero, float top, float lambda, float beta, int regularize,
                                   float *alphaGrad) {
    OVEC penalty = CK_NAME(splat)(0);
    long i = 0;
    for (; i + CK_VEC <= count; i += CK_VEC)
        penalty += CK_NAME(alpha_grad_vector)(CK_NAME(oload)(alpha + i), CK_NAME(oload)(floors + i),
                                              CK_NAME(oload)(weightGrad + i), gamma, span, delta, zero, top, lambda, beta,
                                              regularize, alphaGrad + i);
    if (i < count) {
        // Padding lanes: α far below zero puts h at its lower clamp, so they add nothing.
        float a[CK_VEC], f[CK_VEC] = {0}, g[CK_VEC] = {0}, d[CK_VEC];
        for (long k = 0; k < CK_VEC; k++) a[k] = k < count - i ? alpha[i + k] : -80.0f;
        for (long k = 0; k < count - i; k++) { f[k] = floors[i + k]; g[k] = weightGrad[i + k]; }
        penalty += CK_NAME(alpha_grad_vector)(CK_NAME(oload)(a), CK_NAME(oload)(f), CK_NAME(oload)(g),
                                              gamma, span, delta, zero, top, lambda, beta, regularize, d);
        for (long k = 0; k < count - i; k++) alphaGrad[i + k] = d[k];
    }
    float sum = 0;
    for (int l = 0; l < CK_VEC; l++) sum += penalty[l];
    return sum;
}

/// `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`, `p −= stepSize·m / (√v / √(1−β2^t) + ε)`.
static inline __attribute__((always_inline)) void CK_NAME(adam_vector)(
    float *p, const float *g, float *m, float *v,
    float beta1, float beta2, float stepSize, float sqrtCorrection2, float epsilon)
{
    OVEC gv = CK_NAME(oload)(g);
    OVEC mv = beta1 * CK_NAME(oload)(m) + (1 - beta1) * gv;
    OVEC vv = beta2 * CK_NAME(oload)(v) + (1 - beta2) * gv * gv;
    CK_NAME(ostore)(m, mv);
    CK_NAME(ostore)(v, vv);
    CK_NAME(ostore)(p, CK_NAME(oload)(p) - stepSize * mv / (__builtin_elementwise_sqrt(vv) / sqrtCorrection2 + epsilon));
}

void CK_NAME(adam_update)(float *params, const float *grads, float *m, float *v, long count,
                          float beta1, float beta2, float stepSize, float sqrtCorrection2, float epsilon) {
    long i = 0;
    for (; i + CK_VEC <= count; i += CK_VEC)
        CK_NAME(adam_vector)(params + i, grads + i, m + i, v + i, beta1, beta2, stepSize, sqrtCorrection2, epsilon);
    if (i < count) {
        float p[CK_VEC] = {0}, g[CK_VEC] = {0}, mm[CK_VEC] = {0}, vv[CK_VEC] = {0};
        for (long k = 0; k < count - i; k++) { p[k] = params[i + k]; g[k] = grads[i + k]; mm[k] = m[i + k]; vv[k] = v[i + k]; }
        CK_NAME(adam_vector)(p, g, mm, vv, beta1, beta2, stepSize, sqrtCorrection2, epsilon);
        for (long k = 0; k < count - i; k++) { params[i + k] = p[k]; m[i + k] = mm[k]; v[i + k] = vv[k]; }
    }
}

/// Σ wᵢ·(pᵢ − tᵢ)² (wᵢ = weights[i]², or 1 without weights) and, when
/// `gradient` is given, gradient[i] = 2·wᵢ·(pᵢ − tᵢ)·gradScale. Sums run in
/// float lanes over blocks of 1024 elements, each block's total added in double.
double CK_NAME(squared_error)(const float *prediction, const float *target, const float *weights, long count,
                              float gradScale, float *gradient) {
    double total = 0;
    for (long start = 0; start < count; start += 1024) {
        long end = start + 1024 < count ? start + 1024 : count;
        OVEC acc = CK_NAME(splat)(0);
        long i = start;
        for (; i + CK_VEC <= end; i += CK_VEC) {
            OVEC e = CK_NAME(oload)(prediction + i) - CK_NAME(oload)(target + i);
            OVEC w = CK_NAME(splat)(1);
            if (weights) { w = CK_NAME(oload)(weights + i); w = w * w; }
            acc += e * e * w;
            if (gradient) CK_NAME(ostore)(gradient + i, 2.0f * e * w * gradScale);
        }
        float block = 0;
        for (int l = 0; l < CK_VEC; l++) block += acc[l];
        for (; i < end; i++) {
            float e = prediction[i] - target[i], w = weights ? weights[i] * weights[i] : 1;
            block += e * e * w;
            if (gradient) gradient[i] = 2.0f * e * w * gradScale;
        }
        total += block;
    }
    return total;
}

#undef OVEC
#undef OMASK
#undef OVEC_U
