// Nearest-neighbour up-sampling (NHWC) by whole factors, Keras'
// UpSampling2D: every input pixel's channels (a multiple of 4) fill an
// sh x sw block. Each output row is built once, then copied.
#include "../heap/heap.h"

EXPORT("upsampleNearest")
void upsample_nearest(const float *src, float *dst, int batch, int height, int width, int channels, int sh, int sw) {
  int rowSize = channels * width * sw;
  int rows = batch * height;
  for (int row = 0; row < rows; row++) {
    float *start = dst;
    for (int x = 0; x < width; x++) {
      for (int r = 0; r < sw; r++) {
        // The pixel's channels, a vector at a time.
        for (int k = 0; k < channels; k += 4) store4(dst + k, load4(src + k));
        dst += channels;
      }
      src += channels;
    }
    for (int r = 1; r < sh; r++) {
      __builtin_memcpy(dst, start, (unsigned)rowSize * 4);
      dst += rowSize;
    }
  }
}
