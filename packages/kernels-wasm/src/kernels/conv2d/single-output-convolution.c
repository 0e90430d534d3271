// Convolution (NHWC, no dilation) with a single output channel, as an image
// decoder's last layer has, row by row; channels is a multiple of 4.
// XNNPACK computes output channels in blocks of 8 and so does eight times
// the work here. bias is a pointer to one value, or -1.
#include "../../heap/heap.h"

/**
 * One image row: each output is the dot product of the filter with the
 * input patch under it. A filter row's taps inside the image are contiguous
 * in both the input and the filter, so each is one run of vectors, summed
 * into four interleaved registers (one running sum would make every
 * addition wait for the one before). `x` is the image, `ih0` the input row
 * under the filter's first row.
 */
static void dot_row(const float *x, const float *w, float *y, int position, int ih0, int inHeight, int inWidth,
                    int outWidth, int filterHeight, int filterWidth, int strideWidth, int left, float offset) {
  int xStep = position * strideWidth;
  int segment = position * filterWidth;
  for (int ow = 0; ow < outWidth;) {
    int iw = ow * strideWidth - left;
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    if (ow + 1 < outWidth && iw >= 0 && iw + strideWidth + filterWidth <= inWidth) {
      // Two neighbouring outputs with their whole patches inside the image:
      // each filter vector, loaded once, serves both (s0, s1 for the first,
      // s2, s3 for the second).
      for (int kh = 0; kh < filterHeight; kh++) {
        int ih = ih0 + kh;
        if (!row_inside(ih, inHeight)) continue;
        const float *a = x + position * (ih * inWidth + iw);
        const float *b = w + segment * kh;
        const float *end = a + segment;
        for (; a + 8 <= end; a += 8, b += 8) {
          v128_t w0 = load4(b);
          s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(load4(a), w0));
          s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(load4(a + xStep), w0));
          w0 = load4(b + 4);
          s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(load4(a + 4), w0));
          s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(load4(a + xStep + 4), w0));
        }
        if (a < end) {
          v128_t w0 = load4(b);
          s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(load4(a), w0));
          s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(load4(a + xStep), w0));
        }
      }
      y[0] = offset + sum_lanes(wasm_f32x4_add(s0, s1));
      y[1] = offset + sum_lanes(wasm_f32x4_add(s2, s3));
      y += 2;
      ow += 2;
      continue;
    }
    // One output, its patch clipped to the image.
    int kw0 = first_tap(iw), kw1 = end_tap(iw, inWidth, filterWidth);
    for (int kh = 0; kh < filterHeight; kh++) {
      int ih = ih0 + kh;
      if (!row_inside(ih, inHeight) || kw0 >= kw1) continue;
      const float *a = x + position * (ih * inWidth + iw + kw0);
      const float *b = w + position * (kh * filterWidth + kw0);
      const float *end = a + position * (kw1 - kw0);
      for (; a + 16 <= end; a += 16, b += 16) {
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(load4(a), load4(b)));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(load4(a + 4), load4(b + 4)));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(load4(a + 8), load4(b + 8)));
        s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(load4(a + 12), load4(b + 12)));
      }
      for (; a < end; a += 4, b += 4) s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(load4(a), load4(b)));
    }
    y[0] = offset + sum_lanes(wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3)));
    y += 1;
    ow += 1;
  }
}

EXPORT("singleOutputConvolution")
void single_output_convolution(const float *x, const float *w, int bias, float *y, int batch, int inHeight, int inWidth,
                               int channels, int outHeight, int outWidth, int filterHeight, int filterWidth,
                               int strideHeight, int strideWidth, int top, int left) {
  int imageSize = inHeight * inWidth * channels;
  float offset = bias >= 0 ? *(const float *)bias : 0.0f;
  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < outHeight; oh++) {
      dot_row(x + n * imageSize, w, y, channels, oh * strideHeight - top, inHeight, inWidth, outWidth, filterHeight,
              filterWidth, strideWidth, left, offset);
      y += outWidth;
    }
  }
}
