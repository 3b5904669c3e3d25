// The transforms of Winograd F(2×2, 3×3) convolution (WinogradConv2D.swift).
//
// One build for every CPU: these loops move data between planes and the 16
// transformed matrices and do a few additions per float, so they run at
// memory speed at any vector width; the multiply-adds are in the GEMMs. No
// fused multiply-add (contraction is switched off below, for targets that
// have it), and every sum has a fixed order, so results are the same bits on
// every machine.
//
// Notation (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks"):
// an output tile Y (2×2) = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A for a 3×3 kernel g and
// the 4×4 input patch d that starts at the tile's top-left (padded coordinates),
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],
//   G  = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 −1 −1].
// Element ξ = 4·i + j of a transformed 4×4 tile goes to matrix ξ, `matrixStride`
// floats after matrix ξ − 1; within a matrix, tile (ty, tx) of a plane is
// column ty·tileCols + tx.
#include "CKernels.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

/// Rows of Bᵀ d for a 4-row patch, one column at a time: the same combination
/// serves the columns (d B = (Bᵀ dᵀ)ᵀ).
#define CK_WINO_BT(d0, d1, d2, d3, r0, r1, r2, r3) \
    do { r0 = (d0) - (d2); r1 = (d1) + (d2); r2 = (d2) - (d1); r3 = (d1) - (d3); } while (0)

void ck_winograd_weights(const float *weight, long outChannels, long inChannels, float *dst, long matrixStride) {
    for (long co = 0; co < outChannels; co++) {
        for (long ci = 0; ci < inChannels; ci++) {
            const float *g = weight + (co * inChannels + ci) * 9;
            // h = G g (4×3), then u = h Gᵀ (4×4).
            float h[4][3];
            for (int c = 0; c < 3; c++) {
                h[0][c] = g[c];
                h[1][c] = 0.5f * ((g[c] + g[3 + c]) + g[6 + c]);
                h[2][c] = 0.5f * ((g[c] - g[3 + c]) + g[6 + c]);
                h[3][c] = g[6 + c];
            }
            float *out = dst + co * inChannels + ci;
            for (int r = 0; r < 4; r++) {
                out[(4 * r + 0) * matrixStride] = h[r][0];
                out[(4 * r + 1) * matrixStride] = 0.5f * ((h[r][0] + h[r][1]) + h[r][2]);
                out[(4 * r + 2) * matrixStride] = 0.5f * ((h[r][0] - h[r][1]) + h[r][2]);
                out[(4 * r + 3) * matrixStride] = h[r][2];
            }
        }
    }
}

void ck_winograd_input_tiles(const float *plane, long height, long width, long padTop, long padLeft,
                             long tileRows, long tileCols, float *scratch, float *dst, long matrixStride) {
    // The plane zero-padded to whole tiles: padded row r is plane row r − padTop.
    long pw = 2 * tileCols + 2, ph = 2 * tileRows + 2;
    // Columns padLeft ..< padLeft + copied hold the plane; the padding never exceeds a tile.
    long copied = width < pw - padLeft ? width : pw - padLeft;
    for (long r = 0; r < ph; r++) {
        float *row = scratch + r * pw;
        long y = r - padTop;
        if (y < 0 || y >= height || copied <= 0) {
            memset(row, 0, (size_t)pw * sizeof(float));
            continue;
        }
        memset(row, 0, (size_t)padLeft * sizeof(float));
        memcpy(row + padLeft, plane + y * width, (size_t)copied * sizeof(float));
        memset(row + padLeft + copied, 0, (size_t)(pw - padLeft - copied) * sizeof(float));
    }
    for (long ty = 0; ty < tileRows; ty++) {
        const float *d = scratch + 2 * ty * pw;
        float *out = dst + ty * tileCols;
        for (long tx = 0; tx < tileCols; tx++) {
            const float *p = d + 2 * tx;
            float t[4][4];  // Bᵀ d
            for (int c = 0; c < 4; c++)
                CK_WINO_BT(p[c], p[pw + c], p[2 * pw + c], p[3 * pw + c], t[0][c], t[1][c], t[2][c], t[3][c]);
            for (int r = 0; r < 4; r++) {
                float v0, v1, v2, v3;  // (Bᵀ d) B
                CK_WINO_BT(t[r][0], t[r][1], t[r][2], t[r][3], v0, v1, v2, v3);
                out[(4 * r + 0) * matrixStride + tx] = v0;
                out[(4 * r + 1) * matrixStride + tx] = v1;
                out[(4 * r + 2) * matrixStride + tx] = v2;
                out[(4 * r + 3) * matrixStride + tx] = v3;
            }
        }
    }
}

void ck_winograd_output_tiles(const float *src, long matrixStride, long tileRows, long tileCols,
                              long outHeight, long outWidth, float bias, float *plane) {
    for (long ty = 0; ty < tileRows; ty++) {
        const float *m = src + ty * tileCols;
        for (long tx = 0; tx < tileCols; tx++) {
            float s[2][4];  // Aᵀ m
            for (int c = 0; c < 4; c++) {
                float m0 = m[c * matrixStride + tx], m1 = m[(4 + c) * matrixStride + tx];
                float m2 = m[(8 + c) * matrixStride + tx], m3 = m[(12 + c) * matrixStride + tx];
                s[0][c] = (m0 + m1) + m2;
                s[1][c] = (m1 - m2) - m3;
            }
            for (int r = 0; r < 2; r++) {
                long oy = 2 * ty + r;
                if (oy >= outHeight) break;
                float *line = plane + oy * outWidth;
                long ox = 2 * tx;
                line[ox] = ((s[r][0] + s[r][1]) + s[r][2]) + bias;
                if (ox + 1 < outWidth) line[ox + 1] = ((s[r][1] - s[r][2]) - s[r][3]) + bias;
            }
        }
    }
}

void ck_winograd_gradient_tiles(const float *plane, long outHeight, long outWidth, long tileRows, long tileCols,
                                float *dst, long matrixStride) {
    for (long ty = 0; ty < tileRows; ty++) {
        float *out = dst + ty * tileCols;
        for (long tx = 0; tx < tileCols; tx++) {
            // The 2×2 output gradient, zero past the plane's edge.
            float g[2][2];
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 2; c++) {
                    long oy = 2 * ty + r, ox = 2 * tx + c;
                    g[r][c] = (oy < outHeight && ox < outWidth) ? plane[oy * outWidth + ox] : 0.0f;
                }
            // A g Aᵀ with A = (Aᵀ)ᵀ: rows x0, x0 + x1, x0 − x1, −x1, then the same on columns.
            float h[4][2];
            for (int c = 0; c < 2; c++) {
                h[0][c] = g[0][c];
                h[1][c] = g[0][c] + g[1][c];
                h[2][c] = g[0][c] - g[1][c];
                h[3][c] = -g[1][c];
            }
            for (int r = 0; r < 4; r++) {
                out[(4 * r + 0) * matrixStride + tx] = h[r][0];
                out[(4 * r + 1) * matrixStride + tx] = h[r][0] + h[r][1];
                out[(4 * r + 2) * matrixStride + tx] = h[r][0] - h[r][1];
                out[(4 * r + 3) * matrixStride + tx] = -h[r][1];
            }
        }
    }
}

/// Rows of B v for a 4-row column (B = (Bᵀ)ᵀ), the adjoint of CK_WINO_BT.
#define CK_WINO_B(v0, v1, v2, v3, p0, p1, p2, p3) \
    do { p0 = (v0); p1 = ((v1) - (v2)) + (v3); p2 = ((v1) + (v2)) - (v0); p3 = -(v3); } while (0)

void ck_winograd_input_gradient(const float *src, long matrixStride, long tileRows, long tileCols,
                                long height, long width, long padTop, long padLeft, float *scratch, float *plane) {
    long pw = 2 * tileCols + 2, ph = 2 * tileRows + 2;
    memset(scratch, 0, (size_t)(ph * pw) * sizeof(float));
    // `patch[r][j][tx]`: element (r, j) of tile tx's 4×4 patch B v Bᵀ in this row of tiles.
    float *patch = scratch + ph * pw;
    for (long ty = 0; ty < tileRows; ty++) {
        const float *v = src + ty * tileCols;
        for (long tx = 0; tx < tileCols; tx++) {
            float t[4][4];  // B v, column by column
            for (int c = 0; c < 4; c++)
                CK_WINO_B(v[c * matrixStride + tx], v[(4 + c) * matrixStride + tx],
                          v[(8 + c) * matrixStride + tx], v[(12 + c) * matrixStride + tx],
                          t[0][c], t[1][c], t[2][c], t[3][c]);
            for (int r = 0; r < 4; r++) {
                float *p = patch + 4 * r * tileCols + tx;  // (B v) Bᵀ
                CK_WINO_B(t[r][0], t[r][1], t[r][2], t[r][3], p[0], p[tileCols], p[2 * tileCols], p[3 * tileCols]);
            }
        }
        // Patches overlap by two rows and two columns (stride 2); every
        // element is summed in the same order on every run: left half of
        // each tile's patch, then its right half, row of tiles after row.
        for (int r = 0; r < 4; r++) {
            float *line = scratch + (2 * ty + r) * pw;
            const float *p0 = patch + 4 * r * tileCols, *p1 = p0 + tileCols, *p2 = p1 + tileCols, *p3 = p2 + tileCols;
            for (long tx = 0; tx < tileCols; tx++) { line[2 * tx] += p0[tx]; line[2 * tx + 1] += p1[tx]; }
            for (long tx = 0; tx < tileCols; tx++) { line[2 * tx + 2] += p2[tx]; line[2 * tx + 3] += p3[tx]; }
        }
    }
    // The padding's gradient is dropped.
    for (long y = 0; y < height; y++)
        memcpy(plane + y * width, scratch + (y + padTop) * pw + padLeft, (size_t)width * sizeof(float));
}

void ck_winograd_weight_gradient(const float *src, long matrixStride, long outChannels, long inChannels,
                                 float *gradWeight) {
    for (long co = 0; co < outChannels; co++) {
        for (long ci = 0; ci < inChannels; ci++) {
            const float *u = src + co * inChannels + ci;
            // Gᵀ u G: rows u0 + ½(u1 + u2), ½(u1 − u2), ½(u1 + u2) + u3, then the same on columns.
            float h[3][4];
            for (int c = 0; c < 4; c++) {
                float u0 = u[c * matrixStride], u1 = u[(4 + c) * matrixStride];
                float u2 = u[(8 + c) * matrixStride], u3 = u[(12 + c) * matrixStride];
                h[0][c] = u0 + 0.5f * (u1 + u2);
                h[1][c] = 0.5f * (u1 - u2);
                h[2][c] = 0.5f * (u1 + u2) + u3;
            }
            float *out = gradWeight + (co * inChannels + ci) * 9;
            for (int r = 0; r < 3; r++) {
                out[3 * r + 0] = h[r][0] + 0.5f * (h[r][1] + h[r][2]);
                out[3 * r + 1] = 0.5f * (h[r][1] - h[r][2]);
                out[3 * r + 2] = 0.5f * (h[r][1] + h[r][2]) + h[r][3];
            }
        }
    }
}
