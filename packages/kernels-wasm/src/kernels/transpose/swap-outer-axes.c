// Swaps the two outer axes of an [a, b, n] array, moving runs of n
// elements: dst[(j * a + i) * n + k] = src[(i * b + j) * n + k]. Written in
// destination order, so each output run is written once, in sequence.
#include "../../heap/heap.h"

EXPORT("swapOuterAxes")
void swap_outer_axes(const float *src, float *dst, unsigned a, unsigned b, unsigned n) {
  unsigned vectorEnd = n & ~3u;
  for (unsigned j = 0; j < b; j++) {
    for (unsigned i = 0; i < a; i++) {
      const float *s = src + (i * b + j) * n;
      unsigned k = 0;
      for (; k < vectorEnd; k += 4) store4(dst + k, load4(s + k));
      for (; k < n; k++) dst[k] = s[k];
      dst += n;
    }
  }
}
