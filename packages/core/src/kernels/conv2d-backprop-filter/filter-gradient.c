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
#include "../heap/heap.h"

/** acc[0..16) += sum over i < count of splat(scalar[i * scalarStep]) * wide[i * wideStep + 0..16). */
static inline void accumulate16(float *acc, const float *wide, int wideStep, const float *scalar, int scalarStep, int count) {
  v128_t a0 = load4(acc), a1 = load4(acc + 4), a2 = load4(acc + 8), a3 = load4(acc + 12);
  for (; count != 0; count--) {
    v128_t s = wasm_f32x4_splat(*scalar);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, load4(wide)));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, load4(wide + 4)));
    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, load4(wide + 8)));
    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, load4(wide + 12)));
    wide += wideStep;
    scalar += scalarStep;
  }
  store4(acc, a0), store4(acc + 4, a1), store4(acc + 8, a2), store4(acc + 12, a3);
}

/**
 * The same for two scalar channels at once (at `scalar` and `scalar + 1`),
 * into sixteen channels at `acc` and sixteen at `acc + accStride`: each wide
 * vector loaded once serves both.
 */
static inline void accumulate16x2(float *acc, int accStride, const float *wide, int wideStep, const float *scalar,
                                  int scalarStep, int count) {
  float *second = acc + accStride;
  v128_t a0 = load4(acc), a1 = load4(acc + 4), a2 = load4(acc + 8), a3 = load4(acc + 12);
  v128_t b0 = load4(second), b1 = load4(second + 4), b2 = load4(second + 8), b3 = load4(second + 12);
  for (; count != 0; count--) {
    v128_t s = wasm_v128_load32_splat(scalar), t = wasm_v128_load32_splat(scalar + 1);
    v128_t w0 = load4(wide), w1 = load4(wide + 4), w2 = load4(wide + 8), w3 = load4(wide + 12);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, w0));
    b0 = wasm_f32x4_add(b0, wasm_f32x4_mul(t, w0));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, w1));
    b1 = wasm_f32x4_add(b1, wasm_f32x4_mul(t, w1));
    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, w2));
    b2 = wasm_f32x4_add(b2, wasm_f32x4_mul(t, w2));
    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, w3));
    b3 = wasm_f32x4_add(b3, wasm_f32x4_mul(t, w3));
    wide += wideStep;
    scalar += scalarStep;
  }
  store4(acc, a0), store4(acc + 4, a1), store4(acc + 8, a2), store4(acc + 12, a3);
  store4(second, b0), store4(second + 4, b1), store4(second + 8, b2), store4(second + 12, b3);
}

/** {@link accumulate16} for eight channels. */
static inline void accumulate8(float *acc, const float *wide, int wideStep, const float *scalar, int scalarStep, int count) {
  v128_t a0 = load4(acc), a1 = load4(acc + 4);
  for (; count != 0; count--) {
    v128_t s = wasm_f32x4_splat(*scalar);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, load4(wide)));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, load4(wide + 4)));
    wide += wideStep;
    scalar += scalarStep;
  }
  store4(acc, a0), store4(acc + 4, a1);
}

/** {@link accumulate16x2} for eight channels. */
static inline void accumulate8x2(float *acc, int accStride, const float *wide, int wideStep, const float *scalar,
                                 int scalarStep, int count) {
  float *second = acc + accStride;
  v128_t a0 = load4(acc), a1 = load4(acc + 4), b0 = load4(second), b1 = load4(second + 4);
  for (; count != 0; count--) {
    v128_t s = wasm_v128_load32_splat(scalar), t = wasm_v128_load32_splat(scalar + 1);
    v128_t w0 = load4(wide), w1 = load4(wide + 4);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, w0));
    b0 = wasm_f32x4_add(b0, wasm_f32x4_mul(t, w0));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, w1));
    b1 = wasm_f32x4_add(b1, wasm_f32x4_mul(t, w1));
    wide += wideStep;
    scalar += scalarStep;
  }
  store4(acc, a0), store4(acc + 4, a1), store4(second, b0), store4(second + 4, b1);
}

/** {@link accumulate16} for four channels. */
static inline void accumulate4(float *acc, const float *wide, int wideStep, const float *scalar, int scalarStep, int count) {
  v128_t a0 = load4(acc);
  for (; count != 0; count--) {
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_f32x4_splat(*scalar), load4(wide)));
    wide += wideStep;
    scalar += scalarStep;
  }
  store4(acc, a0);
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
        if (ih < 0 || ih >= inHeight) continue;
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
                accumulate16x2(acc, wideChannels, wideAt, wideStep, scalarAt, scalarStep, count);
              } else if (pair && block == 8) {
                accumulate8x2(acc, wideChannels, wideAt, wideStep, scalarAt, scalarStep, count);
              } else {
                for (int other = 0; other <= pair; other++) {
                  float *otherAcc = acc + other * wideChannels;
                  const float *otherScalar = scalarAt + other;
                  if (block == 16) accumulate16(otherAcc, wideAt, wideStep, otherScalar, scalarStep, count);
                  else if (block == 8) accumulate8(otherAcc, wideAt, wideStep, otherScalar, scalarStep, count);
                  else accumulate4(otherAcc, wideAt, wideStep, otherScalar, scalarStep, count);
                }
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
