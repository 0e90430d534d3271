// The binary cross-entropy's gradient for the outputs, times the incoming
// gradient: dp[i] = dy (p - t) / (p (1 - p)) for n elements, p clipped as
// the loss clips it.
#include "probability.h"

static inline v128_t cross_entropy_gradient4(v128_t p, v128_t t, v128_t dy) {
  v128_t clipped = clip_probability(p);
  return wasm_f32x4_div(wasm_f32x4_mul(dy, wasm_f32x4_sub(clipped, t)),
                        wasm_f32x4_mul(clipped, wasm_f32x4_sub(wasm_f32x4_splat(1.0f), clipped)));
}

EXPORT("binaryCrossEntropyGradient")
void binary_cross_entropy_gradient(const float *p, const float *t, const float *dy, float *dp, unsigned n) {
  map3(cross_entropy_gradient4, p, t, dy, dp, n);
}
