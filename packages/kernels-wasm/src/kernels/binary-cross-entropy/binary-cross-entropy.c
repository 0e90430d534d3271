// Elementwise binary cross-entropy, out[i] = -(t log p + (1 - t) log(1 - p))
// for n outputs p against targets t, p clipped to [1e-7, 1 - 1e-7]: one
// pass instead of the seven kernels tfjs composes it from.
#include "probability.h"

static inline v128_t cross_entropy4(v128_t p, v128_t t) {
  v128_t clipped = clip_probability(p);
  v128_t logP = log4(clipped);
  v128_t log1mP = log4(wasm_f32x4_sub(wasm_f32x4_splat(1.0f), clipped));
  return wasm_f32x4_neg(wasm_f32x4_add(log1mP, wasm_f32x4_mul(t, wasm_f32x4_sub(logP, log1mP))));
}

EXPORT("binaryCrossEntropy")
void binary_cross_entropy(const float *p, const float *t, float *out, unsigned n) {
  map2(cross_entropy4, p, t, out, n);
}
