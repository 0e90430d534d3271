// Nearest-neighbour up-sampling (NHWC) by whole factors, Keras'
// UpSampling2D: every input pixel's channels (a multiple of 4) fill an
// sh x sw block. Each output row is built once, then copied. channels is
// at least 4 (the loops copy a first vector unconditionally).
#include "../../heap/heap.h"

EXPORT("upsampleNearest")
void upsample_nearest(const float *src, float *dst, int batch, int height, int width, int channels, int sh, int sw) {
  int rowSize = channels * width * sw;
  int rows = batch * height;
  for (int row = 0; row < rows; row++) {
    float *start = dst;
    for (int x = 0; x < width; x++) {
      const float *end = src + channels;
      for (int r = 0; r < sw; r++) {
        // The pixel's channels, a vector at a time: a few vectors, which
        // unrolling (and its remainder checks) only slows down.
        const float *s = src;
#pragma clang loop unroll(disable)
        do {
          store4(dst, load4(s));
          dst += 4;
          s += 4;
        } while (s < end);
      }
      src = end;
    }
    for (int r = 1; r < sh; r++) {
      __builtin_memcpy(dst, start, (unsigned)rowSize * 4);
      dst += rowSize;
    }
  }
}
