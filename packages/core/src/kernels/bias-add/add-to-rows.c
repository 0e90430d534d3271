// Adds a [cols] vector to every row of a float32 [rows, cols] matrix (cols
// a multiple of 4): a layer's bias, added after its convolution, where
// tfjs' wasm Add runs its general broadcasting loop.
#include "../heap/heap.h"

EXPORT("addToRows")
void add_to_rows(const float *src, const float *vector, float *dst, unsigned rows, unsigned cols) {
  for (unsigned r = 0; r < rows; r++) {
    for (unsigned c = 0; c < cols; c += 4) store4(dst + c, wasm_f32x4_add(load4(src + c), load4(vector + c)));
    src += cols;
    dst += cols;
  }
}
