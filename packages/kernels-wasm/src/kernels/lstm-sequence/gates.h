// The LSTM's activations on four lanes, and what the gradient needs of
// them: the gates' (tfjs' hardSigmoid, or the logistic sigmoid) and the
// cell's tanh, all from one SIMD exponential.
#ifndef AEKIT_LSTM_GATES_H
#define AEKIT_LSTM_GATES_H

#include "../../heap/heap.h"

#define SPLAT(value) wasm_f32x4_splat(value)

/**
 * e^x on four lanes within about two ulps: x = n ln 2 + r with |r| <= ln 2 / 2,
 * e^r from Cephes' expf polynomial, 2^n put into the exponent bits; x is
 * clamped to [-87.3, 88.7] first (e^x stays finite and normal), so NaN
 * becomes a clamp bound and callers that must keep NaN add `x - x`.
 */
INLINE v128_t exp4(v128_t x) {
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, SPLAT(-87.3365f)), SPLAT(88.7228f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, SPLAT(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(wasm_f32x4_sub(x, wasm_f32x4_mul(n, SPLAT(0.693359375f))), wasm_f32x4_mul(n, SPLAT(-2.12194440e-4f)));
  v128_t r2 = wasm_f32x4_mul(r, r);
  v128_t p = SPLAT(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), SPLAT(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), SPLAT(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), SPLAT(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), SPLAT(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), SPLAT(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, r2), r), SPLAT(1.0f));
  // 2^n as a float: n + 127 in the exponent bits (n is within [-126, 128] after the clamp).
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

/** The logistic sigmoid, 1 / (1 + e^-x), as tfjs' Sigmoid computes it; NaN stays NaN. */
INLINE v128_t sigmoid4(v128_t x) {
  v128_t y = wasm_f32x4_div(SPLAT(1.0f), wasm_f32x4_add(SPLAT(1.0f), exp4(wasm_f32x4_neg(x))));
  return wasm_f32x4_add(y, wasm_f32x4_sub(x, x));
}

/** tanh x = sign(x) (1 - t) / (1 + t) with t = e^-2|x|; NaN stays NaN. */
INLINE v128_t tanh4(v128_t x) {
  v128_t t = exp4(wasm_f32x4_mul(wasm_f32x4_abs(x), SPLAT(-2.0f)));
  v128_t magnitude = wasm_f32x4_div(wasm_f32x4_sub(SPLAT(1.0f), t), wasm_f32x4_add(SPLAT(1.0f), t));
  v128_t sign = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000));
  return wasm_f32x4_add(wasm_v128_or(magnitude, sign), wasm_f32x4_sub(x, x));
}

/** tfjs' hardSigmoid, clip(0.2 x + 0.5, 0, 1), in its float32 operations and order. */
INLINE v128_t hard_sigmoid4(v128_t x) {
  v128_t y = wasm_f32x4_add(wasm_f32x4_mul(x, SPLAT(0.2f)), SPLAT(0.5f));
  return wasm_f32x4_pmin(wasm_f32x4_pmax(y, SPLAT(0.0f)), SPLAT(1.0f));
}

/** A gate's activation: hardSigmoid when `hard`, else the sigmoid. */
INLINE v128_t gate4(v128_t z, unsigned hard) { return hard ? hard_sigmoid4(z) : sigmoid4(z); }

/**
 * d gate / dz at pre-activation `z` with activation `a`: for hardSigmoid
 * 0.2 where 0 <= 0.2 z + 0.5 <= 1 (tfjs' clip passes the gradient at its
 * bounds), else 0; for the sigmoid a (1 - a).
 */
INLINE v128_t gate_slope4(v128_t z, v128_t a, unsigned hard) {
  if (!hard) return wasm_f32x4_mul(a, wasm_f32x4_sub(SPLAT(1.0f), a));
  v128_t y = wasm_f32x4_add(wasm_f32x4_mul(z, SPLAT(0.2f)), SPLAT(0.5f));
  v128_t inside = wasm_v128_and(wasm_f32x4_ge(y, SPLAT(0.0f)), wasm_f32x4_le(y, SPLAT(1.0f)));
  return wasm_v128_and(inside, SPLAT(0.2f));
}

/** Lanes `u`.. of a row of `n` floats, or lane 0 alone (splat) where fewer than four are left. */
INLINE v128_t load_at(const float *row, unsigned u, unsigned n) { return u + 4 <= n ? load4(row + u) : wasm_v128_load32_splat(row + u); }

/** Stores lanes to `row` at `u`, or lane 0 alone where fewer than four are left. */
INLINE void store_at(float *row, unsigned u, unsigned n, v128_t v) {
  if (u + 4 <= n) store4(row + u, v);
  else row[u] = wasm_f32x4_extract_lane(v, 0);
}

/** The next `u`: four on where four fit, else one. */
INLINE unsigned next_at(unsigned u, unsigned n) { return u + 4 <= n ? u + 4 : u + 1; }

#endif
