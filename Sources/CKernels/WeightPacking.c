// Weight layouts for ck_conv_forward, outside the per-ISA builds: a copy with
// no arithmetic, which the compiler does as well at baseline. It runs on every
// reconstruction step (the soft weights change each step), and as a Swift
// closure per element it was 5 % of a ResNet-18 block8 step (4.7 M weights, twice).
#include "CKernels.h"

void ck_pack_weights(const float *weight, long outChannels, long inChannels, long taps, long block,
                     int flipTransposed, float *dst) {
    long blocks = (outChannels + block - 1) / block;
    // c before t: each (b, i) reads `block` runs of `taps` consecutive weights
    // (runs of block·taps in the flipped case) and writes one block·taps span.
    for (long b = 0; b < blocks; b++) {
        for (long i = 0; i < inChannels; i++) {
            float *out = dst + (b * inChannels + i) * taps * block;
            for (long c = 0; c < block; c++) {
                long o = b * block + c;
                if (o >= outChannels) {
                    for (long t = 0; t < taps; t++) out[t * block + c] = 0;
                    continue;
                }
                if (flipTransposed) {
                    // The forward weight [i][o][t], taps reversed.
                    const float *src = weight + (i * outChannels + o) * taps;
                    for (long t = 0; t < taps; t++) out[t * block + c] = src[taps - 1 - t];
                } else {
                    const float *src = weight + (o * inChannels + i) * taps;
                    for (long t = 0; t < taps; t++) out[t * block + c] = src[t];
                }
            }
        }
    }
}
