// AVX-512 build of the kernels: 16-wide vectors, 32 registers. A forward tile
// is 8 channels × 3 vectors (24 accumulators); a dense weight-gradient tile is
// 2 input channels × 9 taps (18 accumulators of 16 output channels).
#include "CKernels.h"
#include "KernelVariants.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define CK_NAME(x) ck_avx512_##x
#define CK_VEC 16
#define CK_OUT_BLOCK 8
#define CK_PIXEL_VECTORS 3
#define CK_GRAD_INPUTS 2
#define CK_GRAD_OUT_VECTORS 1
#define CK_TAP_BLOCK 9
#define CK_SINGLE_TAP_BLOCK 9
#include "KernelTemplate.h"
#include "OptimizerTemplate.h"
#pragma clang attribute pop
#endif
