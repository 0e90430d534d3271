// One Adam step for n weights, written to fresh buffers: the same float32
// operations in the same order as tfjs' AdamOptimizer, so the result is bit
// for bit tfjs', in one pass instead of fourteen kernels a variable:
//   m' = m b1 + g (1 - b1);  v' = v b2 + g g (1 - b2)
//   value' = (m' / c1) / (sqrt(v' / c2) + eps) * (-lr) + value
// with c1 = 1 - b1^t and c2 = 1 - b2^t.
#include "../../heap/heap.h"

EXPORT("adamUpdate")
void adam_update(const float *value, const float *m, const float *v, const float *g, float *newValue, float *newM,
                 float *newV, unsigned n, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float c1,
                 float c2, float epsilon, float negativeRate) {
  v128_t b1 = wasm_f32x4_splat(beta1), ob1 = wasm_f32x4_splat(oneMinusBeta1);
  v128_t b2 = wasm_f32x4_splat(beta2), ob2 = wasm_f32x4_splat(oneMinusBeta2);
  v128_t k1 = wasm_f32x4_splat(c1), k2 = wasm_f32x4_splat(c2);
  v128_t e = wasm_f32x4_splat(epsilon), r = wasm_f32x4_splat(negativeRate);
  unsigned i = 0;
  for (; i < (n & ~3u); i += 4) {
    v128_t gv = load4(g + i);
    v128_t mv = wasm_f32x4_add(wasm_f32x4_mul(load4(m + i), b1), wasm_f32x4_mul(gv, ob1));
    v128_t vv = wasm_f32x4_add(wasm_f32x4_mul(load4(v + i), b2), wasm_f32x4_mul(wasm_f32x4_mul(gv, gv), ob2));
    store4(newM + i, mv);
    store4(newV + i, vv);
    v128_t step = wasm_f32x4_div(wasm_f32x4_div(mv, k1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vv, k2)), e));
    store4(newValue + i, wasm_f32x4_add(wasm_f32x4_mul(step, r), load4(value + i)));
  }
  for (; i < n; i++) {
    // Scalar float32 arithmetic rounds as a lane does.
    float mv = m[i] * beta1 + g[i] * oneMinusBeta1;
    float vv = v[i] * beta2 + g[i] * g[i] * oneMinusBeta2;
    newM[i] = mv;
    newV[i] = vv;
    newValue[i] = (mv / c1) / (__builtin_sqrtf(vv / c2) + epsilon) * negativeRate + value[i];
  }
}
