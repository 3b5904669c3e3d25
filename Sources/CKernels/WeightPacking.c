// Weight layouts for ck_conv_forward, outside the per-ISA builds: a copy with
// no arithmetic, which the compiler does as well at baseline. It runs on every
// reconstruction step (the soft weights change each step), and as a Swift
// closure per element it was 5 % of a ResNet-18 block8 step (4.7 M weights, twice).
#include "CKernels.h"

void ck_pack_weights(const float *weight, long outChannels, long inChannels, long taps,
                     long first, long count, long width, int flipTransposed, float *dst) {
    // c before t: each i reads `count` runs of `taps` consecutive weights
    // (runs of count·taps in the flipped case) and writes one width·taps span.
    for (long i = 0; i < inChannels; i++) {
        float *out = dst + i * taps * width;
        for (long c = 0; c < width; c++) {
            long o = first + c;
            if (c >= count) {
                for (long t = 0; t < taps; t++) out[t * width + c] = 0;
                continue;
            }
            if (flipTransposed) {
                // The forward weight [i][o][t], taps reversed.
                const float *src = weight + (i * outChannels + o) * taps;
                for (long t = 0; t < taps; t++) out[t * width + c] = src[taps - 1 - t];
            } else {
                const float *src = weight + (o * inChannels + i) * taps;
                for (long t = 0; t < taps; t++) out[t * width + c] = src[t];
            }
        }
    }
}
