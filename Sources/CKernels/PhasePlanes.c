// The phase split of a strided convolution's padded input (FlatPaddedPlanes),
// outside the per-ISA builds: a strided copy, which no vector width speeds up
// much (1.4 % of a ResNet-20 stage-3 step with AVX2 kernels, `perf record`).
#include <string.h>
#include "CKernels.h"

void ck_pad_phases(const float *src, long rows, long cols, long top, long left,
                   long strideHeight, long strideWidth, const long *phases, long phaseCount,
                   long width, long phaseStride, float *dst) {
    for (long p = 0; p < phaseCount; p++) {
        long a = phases[2 * p], b = phases[2 * p + 1];
        float *plane = dst + p * phaseStride;
        memset(plane, 0, (size_t)phaseStride * sizeof(float));
        // Phase row r is padded row r·sh + a, source row r·sh + a − top;
        // phase column c is source column c·sw + b − left.
        long firstRow = top > a ? (top - a + strideHeight - 1) / strideHeight : 0;
        long firstCol = left > b ? (left - b + strideWidth - 1) / strideWidth : 0;
        for (long r = firstRow;; r++) {
            long y = r * strideHeight + a - top;
            if (y >= rows) break;
            const float *in = src + y * cols;
            float *out = plane + r * width;
            for (long c = firstCol;; c++) {
                long x = c * strideWidth + b - left;
                if (x >= cols) break;
                out[c] = in[x];
            }
        }
    }
}
