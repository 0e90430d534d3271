// Column sums of a float32 [rows, cols] matrix: dst[c] = sum over r of
// src[r * cols + c], accumulated in row order (as tfjs' own Sum does)
// except for a single column (a one-channel bias gradient), summed in four
// interleaved partial sums, which the row loop would add one by one.
#include "../../heap/heap.h"

static float sum_all(const float *src, unsigned n) {
  v128_t sum = wasm_f32x4_splat(0);
  unsigned i = 0;
  for (; i < (n & ~3u); i += 4) sum = wasm_f32x4_add(sum, load4(src + i));
  float total = sum_lanes(sum);
  for (; i < n; i++) total += src[i];
  return total;
}

EXPORT("sumRows")
void sum_rows(const float *src, float *dst, unsigned rows, unsigned cols) {
  if (cols == 1) {
    dst[0] = sum_all(src, rows);
    return;
  }
  unsigned vectorCols = cols & ~3u;
  __builtin_memset(dst, 0, cols * 4);
  for (unsigned r = 0; r < rows; r++) {
    unsigned c = 0;
    for (; c < vectorCols; c += 4) store4(dst + c, wasm_f32x4_add(load4(dst + c), load4(src + c)));
    for (; c < cols; c++) dst[c] += src[c];
    src += cols;
  }
}
