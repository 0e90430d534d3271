// The sigmoid's gradient from its output, dx = dy * (y * (1 - y)), for n
// elements: tfjs' own formula, operation for operation, in one pass where
// tfjs runs Sub, Multiply and Multiply (three passes and two temporaries).
#include "../../heap/heap.h"

static inline v128_t sigmoid_gradient4(v128_t y, v128_t dy) {
  return wasm_f32x4_mul(dy, wasm_f32x4_mul(y, wasm_f32x4_sub(wasm_f32x4_splat(1.0f), y)));
}

EXPORT("sigmoidGradient")
void sigmoid_gradient(const float *y, const float *dy, float *dx, unsigned n) {
  map2(sigmoid_gradient4, y, dy, dx, n);
}
