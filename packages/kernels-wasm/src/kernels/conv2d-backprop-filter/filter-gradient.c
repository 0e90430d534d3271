// Filter gradient of a convolution (NHWC, no dilation) with few channels:
//   dw[kh, kw, ci, co] = sum over (n, oh, ow) of
//     x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n, oh, ow, co]
// One side's channels ("wide", a multiple of 4) are summed as vectors, the
// other side's ("scalar") one at a time: for each filter tap and scalar
// channel, splat(scalar value) * wide vector over every output position.
// The result is laid out [kh, kw, scalar, wide]: the filter's own layout
// when dy is the wide side, else its transpose. XNNPACK would need one whole
// side as a filter, repacked on every call. Loops run over output rows
// outermost, so the rows of x and dy a row needs stay in the L1 cache for
// all taps.
#include "../../heap/heap.h"

/**
 * acc[0..4 vectors) += sum over i < count of splat(scalar[i * scalarStep]) *
 * wide[i * wideStep + 0..4 vectors), for `vectors` (1, 2 or 4) vectors of
 * wide channels; with `pairs` 2 also for the next scalar channel
 * (`scalar + 1`) into `acc + accStride`, so that each wide vector loaded
 * serves both. Called with constant `pairs` and `vectors`, so that the
 * accumulators unroll into locals.
 */
INLINE void accumulate(float *acc, int accStride, int pairs, int vectors, const float *wide, int wideStep,
                       const float *scalar, int scalarStep, int count) {
  v128_t sums[2][4];
  for (int p = 0; p < pairs; p++)
    for (int v = 0; v < vectors; v++) sums[p][v] = load4(acc + p * accStride + 4 * v);
  for (; count != 0; count--) {
    v128_t s[2];
    for (int p = 0; p < pairs; p++) s[p] = wasm_v128_load32_splat(scalar + p);
    for (int v = 0; v < vectors; v++) {
      v128_t w = load4(wide + 4 * v);
      for (int p = 0; p < pairs; p++) sums[p][v] = wasm_f32x4_add(sums[p][v], wasm_f32x4_mul(s[p], w));
    }
    wide += wideStep;
    scalar += scalarStep;
  }
  for (int p = 0; p < pairs; p++)
    for (int v = 0; v < vectors; v++) store4(acc + p * accStride + 4 * v, sums[p][v]);
}

/** {@link accumulate} for one scalar channel and a block of 16, 8 or 4 wide channels. */
INLINE void accumulate_one(int block, float *acc, const float *wide, int wideStep, const float *scalar, int scalarStep,
                           int count) {
  if (block == 16) accumulate(acc, 0, 1, 4, wide, wideStep, scalar, scalarStep, count);
  else if (block == 8) accumulate(acc, 0, 1, 2, wide, wideStep, scalar, scalarStep, count);
  else accumulate(acc, 0, 1, 1, wide, wideStep, scalar, scalarStep, count);
}

EXPORT("filterGradient")
void filter_gradient(const float *x, const float *dy, float *dw, int batch, int inHeight, int inWidth, int wideChannels,
                     int outHeight, int outWidth, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
                     int top, int left, int scalarChannels, int xIsWide) {
  // Elements per position on each side, and per output position along a row.
  int xPosition = xIsWide ? wideChannels : scalarChannels;
  int dyPosition = xIsWide ? scalarChannels : wideChannels;
  int xStep = xPosition * strideWidth;
  int wideStep = xIsWide ? xStep : dyPosition;
  int scalarStep = xIsWide ? dyPosition : xStep;
  __builtin_memset(dw, 0, (unsigned)(filterHeight * filterWidth * scalarChannels * wideChannels) * 4);
  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < outHeight; oh++) {
      int dyRow = (n * outHeight + oh) * outWidth;
      for (int kh = 0; kh < filterHeight; kh++) {
        int ih = oh * strideHeight + kh - top;
        if (!row_inside(ih, inHeight)) continue;
        int xRow = (n * inHeight + ih) * inWidth;
        for (int kw = 0; kw < filterWidth; kw++) {
          // Output columns whose input column ow*sw + kw - left lies inside the image.
          int t = left - kw;
          int owFrom = t > 0 ? (t + strideWidth - 1) / strideWidth : 0;
          t += inWidth - 1;
          int owTo = t >= 0 ? t / strideWidth + 1 : 0;
          if (owTo > outWidth) owTo = outWidth;
          if (owFrom >= owTo) continue;
          int count = owTo - owFrom;
          const float *xAt = x + xPosition * (xRow + owFrom * strideWidth + kw - left);
          const float *dyAt = dy + dyPosition * (dyRow + owFrom);
          float *tapAcc = dw + (kh * filterWidth + kw) * scalarChannels * wideChannels;
          for (int s = 0; s < scalarChannels;) {
            // Two scalar channels at a time where two remain.
            int pair = s + 1 < scalarChannels;
            const float *wideAt = xIsWide ? xAt : dyAt;
            const float *scalarAt = (xIsWide ? dyAt : xAt) + s;
            float *acc = tapAcc + s * wideChannels;
            // Sixteen wide channels at a time, then eight, then four.
            for (int c = 0; c < wideChannels;) {
              int block = c + 16 <= wideChannels ? 16 : c + 8 <= wideChannels ? 8 : 4;
              if (pair && block == 16) {
                accumulate(acc, wideChannels, 2, 4, wideAt, wideStep, scalarAt, scalarStep, count);
              } else if (pair && block == 8) {
                accumulate(acc, wideChannels, 2, 2, wideAt, wideStep, scalarAt, scalarStep, count);
              } else {
                for (int other = 0; other <= pair; other++)
                  accumulate_one(block, acc + other * wideChannels, wideAt, wideStep, scalarAt + other, scalarStep, count);
              }
              c += block;
              acc += block;
              wideAt += block;
            }
            s += 1 + pair;
          }
        }
      }
    }
  }
}
