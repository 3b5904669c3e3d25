// AVX2 + FMA build of the kernels: 8-wide vectors, 16 registers.
#include "CKernels.h"
#include "KernelVariants.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define CK_NAME(x) ck_avx2_##x
#define CK_VEC 8
#define CK_OUT_BLOCK 4
#define CK_PIXEL_VECTORS 3
#define CK_GRAD_INPUTS 1
#define CK_TAP_BLOCK 9
#include "KernelTemplate.h"
#pragma clang attribute pop
#endif
