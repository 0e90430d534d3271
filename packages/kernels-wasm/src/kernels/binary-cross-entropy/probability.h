// The clipping, the logarithm and the per-element formulas that the binary
// cross-entropy's kernels (elementwise and summed) and their gradients share.
#ifndef AEKIT_PROBABILITY_H
#define AEKIT_PROBABILITY_H

#include "../../heap/heap.h"

/**
 * p clipped to [1e-7, 1 - 1e-7], as the loss does before taking logs (as
 * Keras does). The pseudo-minimum and maximum are one instruction each and,
 * with p first, still pass a NaN through.
 */
static inline v128_t clip_probability(v128_t p) {
  return wasm_f32x4_pmin(wasm_f32x4_pmax(p, wasm_f32x4_splat(1e-7f)), wasm_f32x4_splat(0.9999999f));
}

/**
 * Natural logarithms of four positive floats, within about an ulp:
 * x = m * 2^e with m in [sqrt(1/2), sqrt(2)), log x = e ln 2 + log(1 + (m - 1)),
 * the last from a degree-9 polynomial (Cephes' logf coefficients) evaluated
 * by Estrin's scheme (a dependency chain of four multiply-adds instead of
 * Horner's nine), ln 2 split in two so that e ln 2 adds no rounding. tfjs'
 * Log is a scalar libm call per element.
 */
static inline v128_t log4(v128_t a) {
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(a, 23), wasm_i32x4_splat(126));
  v128_t m = wasm_v128_or(wasm_v128_and(a, wasm_i32x4_splat(0x007fffff)), wasm_f32x4_splat(0.5f));
  // Below sqrt(1/2), double m (small lanes are all ones, -1 as integers).
  v128_t small = wasm_f32x4_lt(m, wasm_f32x4_splat(0.70710678f));
  v128_t ef = wasm_f32x4_convert_i32x4(wasm_i32x4_add(e, small));
  m = wasm_f32x4_sub(wasm_f32x4_add(m, wasm_v128_and(m, small)), wasm_f32x4_splat(1.0f));
  v128_t z = wasm_f32x4_mul(m, m);
  v128_t z4 = wasm_f32x4_mul(z, z);
#define C(value) wasm_f32x4_splat(value)
  v128_t low = wasm_f32x4_add(wasm_f32x4_add(C(3.3333331174e-1f), wasm_f32x4_mul(m, C(-2.4999993993e-1f))),
                              wasm_f32x4_mul(z, wasm_f32x4_add(C(2.0000714765e-1f), wasm_f32x4_mul(m, C(-1.6668057665e-1f)))));
  v128_t high = wasm_f32x4_add(
      wasm_f32x4_add(wasm_f32x4_add(C(1.4249322787e-1f), wasm_f32x4_mul(m, C(-1.2420140846e-1f))),
                     wasm_f32x4_mul(z, wasm_f32x4_add(C(1.1676998740e-1f), wasm_f32x4_mul(m, C(-1.1514610310e-1f))))),
      wasm_f32x4_mul(z4, C(7.0376836292e-2f)));
  v128_t y = wasm_f32x4_add(low, wasm_f32x4_mul(z4, high));
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, m), z);
  y = wasm_f32x4_add(y, wasm_f32x4_mul(ef, C(-2.12194440e-4f)));
  y = wasm_f32x4_sub(y, wasm_f32x4_mul(z, C(0.5f)));
  y = wasm_f32x4_add(wasm_f32x4_add(m, y), wasm_f32x4_mul(ef, C(0.693359375f)));
#undef C
  // NaN in, NaN out: a - a is 0 for every finite a.
  return wasm_f32x4_add(y, wasm_f32x4_sub(a, a));
}

/** Elementwise -(t log p + (1 - t) log(1 - p)) of four outputs p and targets t, p clipped. */
static inline v128_t cross_entropy4(v128_t p, v128_t t) {
  v128_t clipped = clip_probability(p);
  v128_t logP = log4(clipped);
  v128_t log1mP = log4(wasm_f32x4_sub(wasm_f32x4_splat(1.0f), clipped));
  return wasm_f32x4_neg(wasm_f32x4_add(log1mP, wasm_f32x4_mul(t, wasm_f32x4_sub(logP, log1mP))));
}

/** Its gradient for the outputs times dy: dy (p - t) / (p (1 - p)), p clipped. */
static inline v128_t cross_entropy_gradient4(v128_t p, v128_t t, v128_t dy) {
  v128_t clipped = clip_probability(p);
  return wasm_f32x4_div(wasm_f32x4_mul(dy, wasm_f32x4_sub(clipped, t)),
                        wasm_f32x4_mul(clipped, wasm_f32x4_sub(wasm_f32x4_splat(1.0f), clipped)));
}

#endif
