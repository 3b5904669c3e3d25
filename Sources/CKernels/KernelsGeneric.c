// Baseline build of the kernels (SSE2 on x86-64, NEON on arm64): the fallback
// on CPUs without AVX2, and the reference the wider variants are tested against.
#include "CKernels.h"
#include "KernelVariants.h"

#define CK_NAME(x) ck_generic_##x
#define CK_VEC 4
#define CK_OUT_BLOCK 4
#define CK_PIXEL_VECTORS 3
#define CK_GRAD_INPUTS 1
#define CK_GRAD_OUT_VECTORS 1
#define CK_TAP_BLOCK 9
#define CK_SINGLE_TAP_BLOCK 9
#include "KernelTemplate.h"
#include "OptimizerTemplate.h"
