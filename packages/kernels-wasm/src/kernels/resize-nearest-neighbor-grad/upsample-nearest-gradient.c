// The gradient of nearest-neighbour up-sampling by whole factors: every
// input pixel gets the sum of its sh x sw block of the output gradient dy
// (NHWC, channels a multiple of 4), summed row by row.
#include "../../heap/heap.h"

EXPORT("upsampleNearestGradient")
void upsample_nearest_gradient(const float *dy, float *dx, int batch, int height, int width, int channels, int sh,
                               int sw) {
  int outRowSize = channels * width * sw;
  int blockRowSize = channels * sw;
  int rows = batch * height;
  for (int row = 0; row < rows; row++) {
    for (int x = 0; x < width; x++) {
      // The block's top-left value in dy.
      const float *block = dy + row * sh * outRowSize + x * sw * channels;
      for (int c = 0; c < channels; c += 4) {
        v128_t sum = wasm_f32x4_splat(0);
        for (int i = 0; i < sh; i++) {
          const float *at = block + c + i * outRowSize;
          const float *end = at + blockRowSize;
          for (; at < end; at += channels) sum = wasm_f32x4_add(sum, load4(at));
        }
        store4(dx, sum);
        dx += 4;
      }
    }
  }
}
