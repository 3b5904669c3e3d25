// AVX2 + FMA build of the kernels: 8-wide vectors, 16 registers.
//
// A forward tile is 6 output channels × 2 vectors: 12 accumulators, 2 input
// vectors and one broadcast weight, 15 registers. The 4 × 3 tile used before
// needed all 16, and clang kept one accumulator on the stack and shuffled
// others between registers in the inner loop (llvm-mca, znver2: 9.9 cycles
// per 12 multiply-adds against 6.1 for this tile); 6 channels cost some
// padding on 16/32/64-channel layers (18/36/66), far less than that.
// A dense weight-gradient tile is 1 input channel × 9 taps (9 accumulators).
#include "CKernels.h"
#include "KernelVariants.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define CK_NAME(x) ck_avx2_##x
#define CK_VEC 8
#define CK_OUT_BLOCK 6
#define CK_PIXEL_VECTORS 2
#define CK_GRAD_INPUTS 1
#define CK_TAP_BLOCK 9
#include "KernelTemplate.h"
#include "OptimizerTemplate.h"
#pragma clang attribute pop
#endif
