// Convolution (NHWC, no dilation) of a single input channel into channels
// outputs (a multiple of 4, at least 16), as an image encoder's first layer
// has, and the input gradient of a decoder's last: row by row, sixteen
// channels at a time; where fewer than sixteen remain, the last block
// overlaps the one before (recomputing a few channels rather than keeping a
// narrower copy of the loop). bias points to channels values, or is -1.
#include "../../heap/heap.h"

/**
 * One image row of the outputs, for sixteen of its channels (a pixel is
 * `pixel` elements): each output pixel gathers splat(x) * the tap's weights
 * over the taps inside the image, in four registers started from b0..b3
 * (bias or zero). `x` is the image, `w` the filter (taps `pixel` apart) at
 * this block.
 */
static void gather_row16(const float *x, const float *w, float *y, int pixel, int ih0, int inHeight, int inWidth,
                         int outWidth, int filterHeight, int filterWidth, int strideWidth, int left, v128_t b0,
                         v128_t b1, v128_t b2, v128_t b3) {
  for (int ow = 0; ow < outWidth;) {
    int iw = ow * strideWidth - left;
    v128_t a0 = b0, a1 = b1, a2 = b2, a3 = b3;
    if (ow + 1 < outWidth && iw >= 0 && iw + strideWidth + filterWidth <= inWidth) {
      // Two neighbouring pixels with every tap inside the image: each tap's
      // weights, loaded once, serve both, and eight running sums instead of
      // four keep the adder busy.
      v128_t c0 = b0, c1 = b1, c2 = b2, c3 = b3;
      for (int kh = 0; kh < filterHeight; kh++) {
        int ih = ih0 + kh;
        if (!row_inside(ih, inHeight)) continue;
        const float *xAt = x + ih * inWidth + iw;
        const float *wAt = w + pixel * kh * filterWidth;
        for (int kw = 0; kw < filterWidth; kw++, xAt++, wAt += pixel) {
          v128_t s = wasm_v128_load32_splat(xAt), t = wasm_v128_load32_splat(xAt + strideWidth);
          v128_t w0 = load4(wAt), w1 = load4(wAt + 4), w2 = load4(wAt + 8), w3 = load4(wAt + 12);
          a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, w0));
          c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(t, w0));
          a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, w1));
          c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(t, w1));
          a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, w2));
          c2 = wasm_f32x4_add(c2, wasm_f32x4_mul(t, w2));
          a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, w3));
          c3 = wasm_f32x4_add(c3, wasm_f32x4_mul(t, w3));
        }
      }
      store4(y, a0), store4(y + 4, a1), store4(y + 8, a2), store4(y + 12, a3);
      y += pixel;
      store4(y, c0), store4(y + 4, c1), store4(y + 8, c2), store4(y + 12, c3);
      y += pixel;
      ow += 2;
      continue;
    }
    // One pixel, its taps clipped to the image.
    int kw0 = first_tap(iw), kw1 = end_tap(iw, inWidth, filterWidth);
    for (int kh = 0; kh < filterHeight; kh++) {
      int ih = ih0 + kh;
      if (!row_inside(ih, inHeight)) continue;
      const float *xAt = x + ih * inWidth + iw + kw0;
      const float *wAt = w + pixel * (kh * filterWidth + kw0);
      for (int kw = kw0; kw < kw1; kw++, xAt++, wAt += pixel) {
        v128_t s = wasm_v128_load32_splat(xAt);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, load4(wAt)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, load4(wAt + 4)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(s, load4(wAt + 8)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(s, load4(wAt + 12)));
      }
    }
    store4(y, a0), store4(y + 4, a1), store4(y + 8, a2), store4(y + 12, a3);
    y += pixel;
    ow += 1;
  }
}

EXPORT("singleInputConvolution")
void single_input_convolution(const float *x, const float *w, int bias, float *y, int batch, int inHeight, int inWidth,
                              int channels, int outHeight, int outWidth, int filterHeight, int filterWidth,
                              int strideHeight, int strideWidth, int top, int left) {
  int rowSize = outWidth * channels;
  int imageSize = inHeight * inWidth;
  v128_t b0 = wasm_f32x4_splat(0), b1 = b0, b2 = b0, b3 = b0;
  for (int c = 0; c < channels; c += 16) {
    // The block's sixteen channels end at the last channel at most.
    if (c + 16 > channels) c = channels - 16;
    if (bias >= 0) {
      const float *b = (const float *)bias + c;
      b0 = load4(b), b1 = load4(b + 4), b2 = load4(b + 8), b3 = load4(b + 12);
    }
    for (int n = 0; n < batch; n++) {
      for (int oh = 0; oh < outHeight; oh++) {
        gather_row16(x + n * imageSize, w + c, y + c + (n * outHeight + oh) * rowSize, channels,
                     oh * strideHeight - top, inHeight, inWidth, outWidth, filterHeight, filterWidth, strideWidth,
                     left, b0, b1, b2, b3);
      }
    }
  }
}
