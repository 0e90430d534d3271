// The binary cross-entropy summed to one float, scale * sum(bce(p, t)), and
// its gradient from the scalar dy, each one pass: no [n] loss tensor, no
// reduction kernels. The sum is deterministic and the native twin's order:
// blocks of BLOCK elements (BINARY_CROSS_ENTROPY_SUM_BLOCK in core), each
// summed in double in four lanes (element i into lane i mod 4), the lanes
// added (0 + 1) + (2 + 3) and then the block's tail one by one; the blocks
// added in order, in double; the total times scale rounded once to float.
#include "probability.h"

#define BLOCK 1024u

/** The double sum of four lanes, (0 + 1) + (2 + 3), from two f64x2 halves. */
static inline double sum_double_lanes(v128_t low, v128_t high) {
  return (wasm_f64x2_extract_lane(low, 0) + wasm_f64x2_extract_lane(low, 1)) +
         (wasm_f64x2_extract_lane(high, 0) + wasm_f64x2_extract_lane(high, 1));
}

EXPORT("binaryCrossEntropySum")
void binary_cross_entropy_sum(const float *p, const float *t, float *out, unsigned n, float scale) {
  double total = 0;
  for (unsigned start = 0; start < n; start += BLOCK) {
    unsigned end = n - start < BLOCK ? n : start + BLOCK;
    v128_t low = wasm_f64x2_splat(0), high = wasm_f64x2_splat(0);
    unsigned i = start;
    for (; i + 4 <= end; i += 4) {
      v128_t e = cross_entropy4(load4(p + i), load4(t + i));
      low = wasm_f64x2_add(low, wasm_f64x2_promote_low_f32x4(e));
      high = wasm_f64x2_add(high, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(e, e, 2, 3, 0, 1)));
    }
    double block = sum_double_lanes(low, high);
    for (; i < end; i++) block += wasm_f32x4_extract_lane(cross_entropy4(wasm_v128_load32_splat(p + i), wasm_v128_load32_splat(t + i)), 0);
    total += block;
  }
  out[0] = (float)(total * scale);
}

EXPORT("binaryCrossEntropySumGradient")
void binary_cross_entropy_sum_gradient(const float *p, const float *t, const float *dy, float *dp, unsigned n, float scale) {
  v128_t g = wasm_f32x4_splat(dy[0] * scale);
  unsigned i = 0;
  for (; i < (n & ~3u); i += 4) store4(dp + i, cross_entropy_gradient4(load4(p + i), load4(t + i), g));
  for (; i < n; i++) dp[i] = wasm_f32x4_extract_lane(cross_entropy_gradient4(wasm_v128_load32_splat(p + i), wasm_v128_load32_splat(t + i), g), 0);
}
