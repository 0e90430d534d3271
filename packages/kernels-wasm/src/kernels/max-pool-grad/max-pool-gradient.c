// Max-pooling gradient (NHWC) for windows that do not overlap (stride at
// least the window size: the usual 2x2 pooling by 2), four channels at a
// time; channels is a multiple of 4. Each window's gradient goes to the
// first position, row by row, holding its maximum (tfjs' cpu rule; ties are
// everywhere in a blank image background). Positions in no window get 0.
#include "../../heap/heap.h"

EXPORT("maxPoolGradient")
void max_pool_gradient(const float *x, const float *dy, float *dx, int batch, int inHeight, int inWidth, int channels,
                       int outHeight, int outWidth, int filterHeight, int filterWidth, int strideHeight, int strideWidth,
                       int top, int left) {
  int rowSize = channels * inWidth;
  // Zero dx first unless the windows tile the image exactly (2x2 by 2 on an
  // even size): then every position is written once below.
  int tiles = strideHeight == filterHeight && strideWidth == filterWidth && (top | left) == 0 &&
              outHeight * strideHeight == inHeight && outWidth * strideWidth == inWidth;
  if (!tiles) __builtin_memset(dx, 0, (unsigned)(batch * inHeight * rowSize) * 4);
  const float *gradient = dy;
  for (int n = 0; n < batch; n++) {
    int image = n * inHeight * rowSize;
    for (int oh = 0; oh < outHeight; oh++) {
      int t = oh * strideHeight - top;
      int yFrom = t > 0 ? t : 0;
      t += filterHeight;
      int yTo = t < inHeight ? t : inHeight;
      for (int ow = 0; ow < outWidth; ow++) {
        t = ow * strideWidth - left;
        int xFrom = t > 0 ? t : 0;
        t += filterWidth;
        int xTo = t < inWidth ? t : inWidth;
        for (int c = 0; c < channels; c += 4) {
          // Where in the window (0, 1, ... row by row) each lane's first maximum is; -1 if none.
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t where = wasm_i32x4_splat(-1);
          int j = 0;
          for (int y = yFrom; y < yTo; y++) {
            for (int col = xFrom; col < xTo; col++, j++) {
              v128_t value = load4(x + image + y * rowSize + col * channels + c);
              v128_t greater = wasm_f32x4_gt(value, best);
              best = wasm_v128_bitselect(value, best, greater);
              where = wasm_v128_bitselect(wasm_i32x4_splat(j), where, greater);
            }
          }
          // Each window position gets the gradient in the lanes where it holds the maximum.
          v128_t g = load4(gradient + c);
          j = 0;
          for (int y = yFrom; y < yTo; y++) {
            for (int col = xFrom; col < xTo; col++, j++) {
              store4(dx + image + y * rowSize + col * channels + c,
                     wasm_v128_and(g, wasm_i32x4_eq(where, wasm_i32x4_splat(j))));
            }
          }
        }
        gradient += channels;
      }
    }
  }
}
