// AVX2 + FMA build of the kernels: 8-wide vectors, 16 registers.
//
// A forward tile is 6 output channels × 2 vectors: 12 accumulators, 2 input
// vectors and one broadcast weight, 15 registers. The 4 × 3 tile used before
// needed all 16, and clang kept one accumulator on the stack and shuffled
// others between registers in the inner loop (llvm-mca, znver2: 9.9 cycles
// per 12 multiply-adds against 6.1 for this tile). Layers are split into
// blocks of 6 and 5 channels (ChannelBlocks.swift), so 16/32/64 need no padding.
// A dense weight-gradient tile is 2 input channels × 3 taps (a kernel row) ×
// 2 vectors of output channels: 12 accumulators, 2 gradient vectors and one
// broadcast input value. The 1 channel × 9 taps × 1 vector tile it replaces
// broadcast once per multiply-add: llvm-mca (LLVM 14) put its loop at 5.5
// cycles per 9 multiply-adds on znver2 and haswell (5.0 on skylake), 0.56–0.61
// per multiply-add, and this one at 6.0 per 12 on all three, the two-FMA
// peak. Depthwise weight gradients keep 9 taps per call.
#include "CKernels.h"
#include "KernelVariants.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define CK_NAME(x) ck_avx2_##x
#define CK_VEC 8
#define CK_OUT_BLOCK 6
#define CK_PIXEL_VECTORS 2
#define CK_GRAD_INPUTS 2
#define CK_GRAD_OUT_VECTORS 2
#define CK_TAP_BLOCK 3
#define CK_SINGLE_TAP_BLOCK 9
#include "KernelTemplate.h"
#include "OptimizerTemplate.h"
#pragma clang attribute pop
#endif
