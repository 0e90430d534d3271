// Adds a [cols] vector to every row of a float32 [rows, cols] matrix (cols
// a multiple of 4): a layer's bias, added after its convolution, where
// tfjs' wasm Add runs its general broadcasting loop.
#include "../../heap/heap.h"

EXPORT("addToRows")
void add_to_rows(const float *src, const float *vector, float *dst, unsigned rows, unsigned cols) {
  const float *end = src + rows * cols;
  while (src < end) {
    const float *rowEnd = src + cols;
    const float *v = vector;
    // A row is a few vectors, which unrolling (and its remainder checks) only slows down.
#pragma clang loop unroll(disable)
    while (src < rowEnd) {
      store4(dst, wasm_f32x4_add(load4(src), load4(v)));
      src += 4, dst += 4, v += 4;
    }
  }
}
