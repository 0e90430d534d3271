// The ReLU's gradient, dx = dy * step(x), for n elements: dy where x > 0,
// else 0, and NaN where x is NaN, as tfjs' Step gives. tfjs composes it
// from Step, Cast and Multiply, three passes over the tensors.
#include "../../heap/heap.h"

static inline v128_t relu_gradient4(v128_t x, v128_t dy) {
  v128_t step = wasm_v128_and(wasm_f32x4_gt(x, wasm_f32x4_splat(0)), wasm_f32x4_splat(1.0f));
  return wasm_f32x4_mul(dy, wasm_v128_bitselect(x, step, wasm_f32x4_ne(x, x)));
}

EXPORT("reluGradient")
void relu_gradient(const float *x, const float *dy, float *dx, unsigned n) {
  map2(relu_gradient4, x, dy, dx, n);
}
